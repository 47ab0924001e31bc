package com.llmchat.rest;

import com.llmchat.accounts.entity.ApiKey;
import com.llmchat.usage.boundary.Usage;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * An API key as lists show it: its prefix, never its secret or hash. {@code status}: {@code
 * active}, {@code expired} or {@code revoked}; {@code last30Days}: what its calls used (in lists).
 */
public record ApiKeyView(
    long id,
    String name,
    String prefix,
    String owner,
    List<String> models,
    String status,
    String createdAt,
    String expiresAt,
    String lastUsedAt,
    String revokedAt,
    String revokedBy,
    Usage.KeyUsage last30Days) {

  static ApiKeyView of(ApiKey key) {
    return of(key, null);
  }

  /** With what its calls used over the last 30 days (none made: zeros). */
  static ApiKeyView of(ApiKey key, Map<Long, Usage.KeyUsage> usage) {
    return new ApiKeyView(
        key.id(),
        key.name(),
        key.prefix(),
        key.account().username(),
        key.models(),
        key.status(),
        key.createdAt().toString(),
        text(key.expiresAt()),
        text(key.lastUsedAt()),
        text(key.revokedAt()),
        key.revokedBy(),
        usage == null ? null : usage.getOrDefault(key.id(), new Usage.KeyUsage(0, 0, 0)));
  }

  private static String text(OffsetDateTime at) {
    return at == null ? null : at.toString();
  }
}
