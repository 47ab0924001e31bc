package com.llmchat.identity.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * An OpenID Connect identity provider people log in with (authorization code flow with PKCE). Its
 * accounts carry {@link #origin()}; its client secret is kept sealed with the master key, bound to
 * the issuer and client id.
 */
@Entity
@Table(name = "identity_provider")
@NamedQuery(
    name = IdentityProvider.ALL,
    query = "select p from IdentityProvider p order by p.position, p.id")
@NamedQuery(
    name = IdentityProvider.ENABLED,
    query = "select p from IdentityProvider p where p.enabled = true order by p.position, p.id")
@NamedQuery(
    name = IdentityProvider.BY_NAME,
    query = "select p from IdentityProvider p where p.nameKey = :key")
@NamedQuery(
    name = IdentityProvider.PRESET,
    query = "select p from IdentityProvider p where p.preset = true")
public class IdentityProvider {

  public static final String ALL = "IdentityProvider.all";
  public static final String ENABLED = "IdentityProvider.enabled";
  public static final String BY_NAME = "IdentityProvider.byName";
  public static final String PRESET = "IdentityProvider.preset";

  /** The origin of accounts from the provider with that id. */
  public static String origin(long id) {
    return "oidc:" + id;
  }

  /** The sealing context of a client secret (also for the operator's rotate-master-key). */
  public static String sealingContext(String issuer, String clientId) {
    return "oidc-client\n" + issuer + "\n" + clientId;
  }

  @Id
  @SequenceGenerator(
      name = "identity_provider_seq",
      sequenceName = "identity_provider_seq",
      allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "identity_provider_seq")
  private Long id;

  @Column(nullable = false, length = 64)
  private String name;

  @Column(name = "name_key", nullable = false, length = 64)
  private String nameKey;

  @Column(nullable = false)
  private boolean enabled;

  @Column(nullable = false)
  private int position;

  @Column(nullable = false, length = 500)
  private String issuer;

  @Column(name = "client_id", nullable = false, length = 255)
  private String clientId;

  @Column(name = "client_secret", length = 2000)
  private String clientSecretSealed;

  @Column(name = "client_secret_file", length = 500)
  private String clientSecretFile;

  @Column(nullable = false, length = 500)
  private String scopes;

  @Column(name = "username_claim", nullable = false, length = 64)
  private String usernameClaim;

  @Column(name = "display_name_claim", nullable = false, length = 64)
  private String displayNameClaim;

  @Column(name = "email_claim", nullable = false, length = 64)
  private String emailClaim;

  @Column(name = "groups_claim", nullable = false, length = 64)
  private String groupsClaim;

  @Column(name = "ca_certificates")
  private String caCertificates;

  @Column(nullable = false)
  private boolean preset;

  @Column(name = "created_at", nullable = false, updatable = false)
  private OffsetDateTime createdAt;

  @Version private long version;

  protected IdentityProvider() {}

  public IdentityProvider(ProviderSettings settings, boolean preset) {
    this.preset = preset;
    this.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
    configure(settings);
  }

  /** Takes validated settings; a new issuer or client id drops the sealed secret. */
  public void configure(ProviderSettings settings) {
    ProviderSettings s = settings.validated();
    if (issuer != null && (!issuer.equals(s.issuer()) || !Objects.equals(clientId, s.clientId()))) {
      clientSecretSealed = null;
    }
    this.name = s.name();
    this.nameKey = ProviderSettings.key(s.name());
    this.enabled = s.enabled();
    this.position = s.position();
    this.issuer = s.issuer();
    this.clientId = s.clientId();
    this.scopes = s.scopes();
    this.usernameClaim = s.usernameClaim();
    this.displayNameClaim = s.displayNameClaim();
    this.emailClaim = s.emailClaim();
    this.groupsClaim = s.groupsClaim();
    this.caCertificates = s.caCertificates();
  }

  public ProviderSettings settings() {
    return new ProviderSettings(
        name,
        enabled,
        position,
        issuer,
        clientId,
        scopes,
        usernameClaim,
        displayNameClaim,
        emailClaim,
        groupsClaim,
        caCertificates);
  }

  public String sealingContext() {
    return sealingContext(issuer, clientId);
  }

  public void storeClientSecret(String sealed, String file) {
    this.clientSecretSealed = sealed;
    this.clientSecretFile = file;
  }

  public void enable(boolean on) {
    this.enabled = on;
  }

  public Long id() {
    return id;
  }

  public String origin() {
    return origin(id);
  }

  public String name() {
    return name;
  }

  public boolean enabled() {
    return enabled;
  }

  public String clientSecretSealed() {
    return clientSecretSealed;
  }

  public String clientSecretFile() {
    return clientSecretFile;
  }

  public boolean preset() {
    return preset;
  }

  public OffsetDateTime createdAt() {
    return createdAt;
  }
}
