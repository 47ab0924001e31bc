package com.llmchat.rest;

import com.llmchat.accounts.entity.ApiKey;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * An API key as lists show it: its prefix, never its secret or hash. {@code status}: {@code
 * active}, {@code expired} or {@code revoked}.
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
    String revokedBy) {

  static ApiKeyView of(ApiKey key) {
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
        key.revokedBy());
  }

  private static String text(OffsetDateTime at) {
    return at == null ? null : at.toString();
  }
}
