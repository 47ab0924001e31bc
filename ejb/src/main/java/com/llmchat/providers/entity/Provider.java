package com.llmchat.providers.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;

/**
 * An OpenAI-compatible model server and the credentials for it. An administrator's provider (no
 * owner) serves everybody; a user's own serves only that user. The API key is stored sealed and
 * bound to the base URL: a new URL needs the key entered again.
 */
@Entity
@Table(name = "provider")
@NamedQuery(
    name = Provider.SHARED,
    query = "select p from Provider p where p.ownerId is null order by lower(p.name)")
@NamedQuery(
    name = Provider.OWNED_BY,
    query = "select p from Provider p where p.ownerId = :owner order by lower(p.name)")
@NamedQuery(name = Provider.PRESET, query = "select p from Provider p where p.preset = true")
@NamedQuery(name = Provider.ALL, query = "select p from Provider p")
@NamedQuery(
    name = Provider.SHARED_NAMES,
    query = "select distinct p.name from Provider p where p.ownerId is null")
public class Provider {

  public static final String SHARED_NAMES = "Provider.sharedNames";
  public static final String SHARED = "Provider.shared";
  public static final String OWNED_BY = "Provider.ownedBy";
  public static final String PRESET = "Provider.preset";
  public static final String ALL = "Provider.all";

  public static final int DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
  public static final int DEFAULT_READ_TIMEOUT_MS = 120_000;

  @Id
  @SequenceGenerator(name = "provider_seq", sequenceName = "provider_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "provider_seq")
  private Long id;

  @Column(nullable = false, length = 100)
  private String name;

  @Column(name = "base_url", nullable = false, length = 500)
  private String baseUrl;

  @Column(name = "api_key_sealed", length = 2000)
  private String apiKeySealed;

  @Column(name = "api_key_hint", length = 8)
  private String apiKeyHint;

  @Column(name = "owner_id", updatable = false)
  private Long ownerId;

  @Column(name = "connect_timeout_ms", nullable = false)
  private int connectTimeoutMs;

  @Column(name = "read_timeout_ms", nullable = false)
  private int readTimeoutMs;

  @Column(name = "include_usage", nullable = false)
  private boolean includeUsage;

  @Column(name = "allow_private_network", nullable = false)
  private boolean allowPrivateNetwork;

  @Column(nullable = false)
  private boolean enabled;

  @Column(nullable = false, updatable = false)
  private boolean preset;

  @Column(name = "created_at", nullable = false, updatable = false)
  private OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  private OffsetDateTime updatedAt;

  @Version private long version;

  protected Provider() {}

  public Provider(String name, String baseUrl, Long ownerId, boolean preset) {
    this.ownerId = ownerId;
    this.preset = preset;
    this.connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
    this.readTimeoutMs = DEFAULT_READ_TIMEOUT_MS;
    this.includeUsage = true;
    this.enabled = true;
    this.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
    rename(name);
    this.baseUrl = normalizeBaseUrl(baseUrl);
    touch();
  }

  public void rename(String newName) {
    String trimmed = Objects.requireNonNull(newName, "name").strip();
    if (trimmed.isEmpty() || trimmed.length() > 100) {
      throw new IllegalArgumentException("A provider name has 1 to 100 characters");
    }
    this.name = trimmed;
    touch();
  }

  /**
   * Moves the provider to another base URL. The sealed key belongs to the old one, so it is dropped
   * unless a new key comes with the move.
   */
  public void moveTo(String newBaseUrl) {
    String normalized = normalizeBaseUrl(newBaseUrl);
    if (!normalized.equals(baseUrl)) {
      baseUrl = normalized;
      apiKeySealed = null;
      apiKeyHint = null;
      touch();
    }
  }

  /** Whether this base URL, if given, is another than the provider's. */
  public boolean movesTo(String newBaseUrl) {
    return newBaseUrl != null && !normalizeBaseUrl(newBaseUrl).equals(baseUrl);
  }

  /** A key as views show it ({@code …abcd}): never a key of its own. */
  public static boolean looksLikeKeyHint(String key) {
    String trimmed = key.strip();
    return trimmed.startsWith("…") || trimmed.startsWith("...");
  }

  public void storeKey(String sealed, String hint) {
    this.apiKeySealed = sealed;
    this.apiKeyHint = sealed == null ? null : hint;
    touch();
  }

  public void timeouts(int connectMs, int readMs) {
    if (connectMs < 100 || connectMs > 120_000 || readMs < 1_000 || readMs > 3_600_000) {
      throw new IllegalArgumentException(
          "Timeouts: connect 100 ms to 2 min, read (silence between tokens) 1 s to 1 h");
    }
    this.connectTimeoutMs = connectMs;
    this.readTimeoutMs = readMs;
    touch();
  }

  public void includeUsage(boolean include) {
    this.includeUsage = include;
    touch();
  }

  public void allowPrivateNetwork(boolean allow) {
    if (allow && ownerId != null) {
      throw new IllegalArgumentException(
          "Only administrators' providers may use private network addresses");
    }
    this.allowPrivateNetwork = allow;
    touch();
  }

  public void enable(boolean on) {
    this.enabled = on;
    touch();
  }

  private void touch() {
    this.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
  }

  /**
   * Operators often paste the full endpoint ({@code http://host:11553/v1/chat/completions}) as
   * other systems asked them to; the OpenAI convention is the base URL ending in {@code /v1}.
   */
  public static String normalizeBaseUrl(String url) {
    String base = Objects.requireNonNull(url, "base URL").strip();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    for (String endpoint : new String[] {"/chat/completions", "/completions", "/models"}) {
      if (base.endsWith(endpoint)) {
        base = base.substring(0, base.length() - endpoint.length());
      }
    }
    URI uri;
    try {
      uri = URI.create(base);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Not a URL: " + url);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "The base URL must be an http(s) URL such as http://vllm:8000/v1");
    }
    if (base.length() > 500) {
      throw new IllegalArgumentException("The base URL is longer than 500 characters");
    }
    return base;
  }

  public boolean isSharedWithEverybody() {
    return ownerId == null;
  }

  public boolean isOwnedBy(long accountId) {
    return ownerId != null && ownerId == accountId;
  }

  public Long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public String baseUrl() {
    return baseUrl;
  }

  public String apiKeySealed() {
    return apiKeySealed;
  }

  public String apiKeyHint() {
    return apiKeyHint;
  }

  public Long ownerId() {
    return ownerId;
  }

  public int connectTimeoutMs() {
    return connectTimeoutMs;
  }

  public int readTimeoutMs() {
    return readTimeoutMs;
  }

  public boolean includeUsage() {
    return includeUsage;
  }

  public boolean allowPrivateNetwork() {
    return allowPrivateNetwork;
  }

  public boolean enabled() {
    return enabled;
  }

  public boolean preset() {
    return preset;
  }

  public OffsetDateTime createdAt() {
    return createdAt;
  }

  public OffsetDateTime updatedAt() {
    return updatedAt;
  }
}
