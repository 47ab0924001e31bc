package com.llmchat.identity.control;

import com.llmchat.accounts.entity.Account;
import com.llmchat.audit.boundary.AuditLog;
import com.llmchat.audit.entity.AuditEvent.Outcome;
import com.llmchat.identity.control.IdTokens.InvalidTokenException;
import com.llmchat.identity.control.OidcClient.ProviderException;
import com.llmchat.identity.entity.GroupMapping;
import com.llmchat.identity.entity.IdentityProvider;
import com.llmchat.identity.entity.ProviderSettings;
import com.llmchat.providers.control.CredentialCipher.UnreadableCredentialException;
import com.llmchat.providers.control.ProviderCredentials;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Logins through an OpenID Connect provider: {@link #begin} gives the URL the browser goes to and
 * what its session keeps (state, nonce, PKCE verifier); {@link #complete} exchanges the code the
 * browser brings back, checks the ID token, and creates or updates the account as {@link
 * ExternalAccounts} does for directories. The caller checks the state against the session.
 */
@Stateless
public class OidcLogins {

  private static final Logger LOG = Logger.getLogger(OidcLogins.class.getName());

  /** A provider people may log in with, as the login page offers it. */
  public record Choice(long id, String name) {}

  /** A login begun at a provider. */
  public record Start(
      long providerId, URI authorizationUrl, String state, String nonce, String verifier) {}

  /** A completed login: the account, and the ID token kept for the provider's logout. */
  public record Completed(Account account, String idToken) {}

  /** The login cannot go on; the message is for the audit log and administrators. */
  public static final class LoginFailedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean unavailable;

    public LoginFailedException(String message, boolean unavailable) {
      super(message);
      this.unavailable = unavailable;
    }

    /** The provider could not be asked (as opposed to: it answered, and the answer is refused). */
    public boolean unavailable() {
      return unavailable;
    }
  }

  @PersistenceContext EntityManager em;
  @Inject OidcMetadata metadata;
  @Inject ProviderCredentials credentials;
  @Inject ExternalAccounts accounts;
  @Inject AuditLog audit;

  @Inject
  @ConfigProperty(name = "llmchat.directory.timeout-ms", defaultValue = "5000")
  int timeoutMillis;

  public List<Choice> choices() {
    return em
        .createNamedQuery(IdentityProvider.ENABLED, IdentityProvider.class)
        .getResultList()
        .stream()
        .map(provider -> new Choice(provider.id(), provider.name()))
        .toList();
  }

  public Start begin(long providerId, URI redirectUri) throws LoginFailedException {
    IdentityProvider provider = enabled(providerId);
    OidcClient client = client(provider.settings());
    try {
      OidcClient.Begun begun =
          client.begin(
              metadata.of(providerId, client, provider.settings()).discovery(), redirectUri);
      return new Start(
          providerId, begun.authorizationUrl(), begun.state(), begun.nonce(), begun.verifier());
    } catch (ProviderException e) {
      LOG.warning(() -> "Identity provider '" + provider.name() + "': " + e.getMessage());
      throw new LoginFailedException(e.getMessage(), true);
    }
  }

  public Completed complete(
      long providerId, String code, String verifier, String nonce, URI redirectUri, String clientIp)
      throws LoginFailedException {
    IdentityProvider provider = enabled(providerId);
    ProviderSettings settings = provider.settings();
    OidcClient client = client(settings);
    OidcClient.Person person;
    try {
      OidcMetadata.Known known = metadata.of(providerId, client, settings);
      String idToken =
          client.exchange(known.discovery(), secret(provider), redirectUri, code, verifier);
      try {
        person = client.person(known.discovery(), known.keys(), idToken, nonce);
      } catch (InvalidTokenException e) {
        if (!e.getMessage().contains("signature")) {
          throw e;
        }
        // the provider may have rotated its keys since they were read
        OidcMetadata.Known again = metadata.refreshKeys(providerId, client, settings);
        person = client.person(again.discovery(), again.keys(), idToken, nonce);
      }
    } catch (ProviderException e) {
      fail(provider, null, clientIp, e.getMessage());
      throw new LoginFailedException(e.getMessage(), true);
    } catch (InvalidTokenException e) {
      fail(provider, null, clientIp, "ID token refused: " + e.getMessage());
      throw new LoginFailedException("ID token refused: " + e.getMessage(), false);
    }
    if (person.username() == null) {
      String why = "the ID token has no " + settings.usernameClaim() + " claim";
      fail(provider, person.subject(), clientIp, why);
      throw new LoginFailedException(why, false);
    }
    ExternalAccounts.Entered entered =
        accounts.enter(
            new ExternalAccounts.Person(
                provider.origin(),
                "identity provider " + provider.name(),
                person.username(),
                person.displayName(),
                person.email(),
                person.subject(),
                groupKeys(person.groups())),
            em.createNamedQuery(GroupMapping.OF_PROVIDER, GroupMapping.class)
                .setParameter("provider", provider.id())
                .getResultList(),
            clientIp);
    if (entered.account() == null) {
      fail(provider, person.username(), clientIp, entered.refusal());
      throw new LoginFailedException(entered.refusal(), false);
    }
    Account account = entered.account();
    account.recordLogin();
    audit.record(
        account.username(),
        "login",
        account.username(),
        Outcome.SUCCESS,
        clientIp,
        "identity provider " + provider.name());
    return new Completed(account, person.idToken());
  }

  /** Where the browser goes to end its session at the provider too, if the provider says. */
  public Optional<URI> logoutUrl(long providerId, String idToken, URI afterLogout) {
    IdentityProvider provider = em.find(IdentityProvider.class, providerId);
    if (provider == null) {
      return Optional.empty();
    }
    try {
      OidcClient client = client(provider.settings());
      return Optional.ofNullable(
          OidcClient.logout(
              metadata.of(providerId, client, provider.settings()).discovery(),
              provider.settings().clientId(),
              idToken,
              afterLogout));
    } catch (ProviderException | LoginFailedException e) {
      return Optional.empty();
    }
  }

  /**
   * The keys by which mappings find a person's groups: each value in lower case and, for a path
   * ("/staff/llm-users", as Keycloak writes groups), its last part too.
   */
  static Set<String> groupKeys(List<String> groups) {
    Set<String> keys = new LinkedHashSet<>();
    for (String group : groups) {
      String value = group.strip().toLowerCase(Locale.ROOT);
      keys.add(value);
      int slash = value.lastIndexOf('/');
      if (slash >= 0 && slash < value.length() - 1) {
        keys.add(value.substring(slash + 1));
      }
    }
    return keys;
  }

  private void fail(IdentityProvider provider, String who, String clientIp, String why) {
    audit.record(
        who,
        "login",
        who,
        Outcome.FAILURE,
        clientIp,
        "identity provider " + provider.name() + ": " + why);
  }

  private IdentityProvider enabled(long providerId) throws LoginFailedException {
    IdentityProvider provider = em.find(IdentityProvider.class, providerId);
    if (provider == null || !provider.enabled()) {
      throw new LoginFailedException("no enabled identity provider " + providerId, false);
    }
    return provider;
  }

  private String secret(IdentityProvider provider) throws ProviderException {
    if (provider.clientSecretSealed() == null) {
      return null;
    }
    try {
      return credentials.open(provider.clientSecretSealed(), provider.sealingContext());
    } catch (UnreadableCredentialException e) {
      throw new ProviderException(
          "the client secret cannot be opened (" + e.getMessage() + "); set it again");
    }
  }

  public OidcClient client(ProviderSettings settings) throws LoginFailedException {
    try {
      return new OidcClient(settings, Duration.ofMillis(timeoutMillis));
    } catch (GeneralSecurityException e) {
      throw new LoginFailedException("TLS could not be set up: " + e.getMessage(), true);
    }
  }
}
