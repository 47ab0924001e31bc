package com.llmchat.accounts.entity;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A personal API key: what an application presents on the OpenAI-compatible API, acting as the
 * key's owner. Its secret is kept only as a hash; it may be limited to some models and expire, and
 * it is revoked rather than deleted, so that lists and the audit log keep it.
 */
@Entity
@Table(name = "api_key")
@NamedQuery(
    name = ApiKey.OF_ACCOUNT,
    query =
        "select k from ApiKey k where k.account = :account order by k.createdAt desc, k.id desc")
@NamedQuery(
    name = ApiKey.ALL,
    query =
        "select k from ApiKey k join fetch k.account a"
            + " where a.usernameKey like :pattern or lower(k.name) like :pattern"
            + " order by k.createdAt desc, k.id desc")
@NamedQuery(
    name = ApiKey.COUNT_ACTIVE,
    query =
        "select count(k) from ApiKey k where k.account = :account and k.revokedAt is null"
            + " and (k.expiresAt is null or k.expiresAt > :now)")
@NamedQuery(
    name = ApiKey.BY_HASH,
    query = "select k from ApiKey k join fetch k.account where k.secretHash = :hash")
@NamedQuery(name = ApiKey.USED, query = "update ApiKey k set k.lastUsedAt = :now where k.id = :id")
public class ApiKey {

  public static final String OF_ACCOUNT = "ApiKey.ofAccount";
  public static final String ALL = "ApiKey.all";
  public static final String COUNT_ACTIVE = "ApiKey.countActive";
  public static final String BY_HASH = "ApiKey.byHash";
  public static final String USED = "ApiKey.used";

  public static final int MAX_NAME = 100;
  public static final int MAX_MODELS = 100;

  @Id
  @SequenceGenerator(name = "api_key_seq", sequenceName = "api_key_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "api_key_seq")
  private Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "account_id", nullable = false, updatable = false)
  private Account account;

  @Column(nullable = false, length = MAX_NAME)
  private String name;

  @Column(nullable = false, updatable = false, length = 32)
  private String prefix;

  @Column(name = "secret_hash", nullable = false, updatable = false, length = 64)
  private String secretHash;

  @Column(name = "created_at", nullable = false, updatable = false)
  private OffsetDateTime createdAt;

  @Column(name = "expires_at", updatable = false)
  private OffsetDateTime expiresAt;

  @Column(name = "last_used_at")
  private OffsetDateTime lastUsedAt;

  @Column(name = "revoked_at")
  private OffsetDateTime revokedAt;

  @Column(name = "revoked_by", length = 64)
  private String revokedBy;

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "api_key_model", joinColumns = @JoinColumn(name = "api_key_id"))
  @Column(name = "model", length = 100, nullable = false)
  private Set<String> models = new LinkedHashSet<>();

  @Version private long version;

  protected ApiKey() {}

  /**
   * {@code models}: the aliases the key is limited to, none for every model the owner may use;
   * {@code expiresAt} null: it does not expire.
   */
  public ApiKey(
      Account account,
      String name,
      String prefix,
      String secretHash,
      List<String> models,
      OffsetDateTime expiresAt,
      OffsetDateTime now) {
    String trimmed = Objects.requireNonNull(name, "name").strip();
    if (trimmed.isEmpty() || trimmed.length() > MAX_NAME) {
      throw new IllegalArgumentException("A key's name has 1 to 100 characters");
    }
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw new IllegalArgumentException("A key's expiry lies in the future");
    }
    if (models.size() > MAX_MODELS) {
      throw new IllegalArgumentException("A key is limited to at most 100 models");
    }
    this.account = account;
    this.name = trimmed;
    this.prefix = prefix;
    this.secretHash = secretHash;
    this.models.addAll(models);
    this.expiresAt = expiresAt;
    this.createdAt = now;
  }

  /** Not revoked, not expired: whether its owner may still be acted for is the account's matter. */
  public boolean isActive(OffsetDateTime now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }

  /** {@code active}, {@code expired} or {@code revoked}, as lists show it. */
  public String status() {
    return revokedAt != null
        ? "revoked"
        : isActive(OffsetDateTime.now(ZoneOffset.UTC)) ? "active" : "expired";
  }

  /** Whether the key may be used for a model (by alias). */
  public boolean allows(String model) {
    return models.isEmpty() || models.contains(model);
  }

  /** Revoked by its owner or an administrator; revoking again changes nothing. */
  public void revoke(String by, OffsetDateTime now) {
    if (revokedAt == null) {
      revokedAt = now;
      revokedBy = by;
    }
  }

  public Long id() {
    return id;
  }

  public Account account() {
    return account;
  }

  public String name() {
    return name;
  }

  public String prefix() {
    return prefix;
  }

  public OffsetDateTime createdAt() {
    return createdAt;
  }

  public OffsetDateTime expiresAt() {
    return expiresAt;
  }

  public OffsetDateTime lastUsedAt() {
    return lastUsedAt;
  }

  public OffsetDateTime revokedAt() {
    return revokedAt;
  }

  public String revokedBy() {
    return revokedBy;
  }

  public List<String> models() {
    return List.copyOf(models);
  }
}
