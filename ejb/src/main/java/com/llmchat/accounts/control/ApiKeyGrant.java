package com.llmchat.accounts.control;

import java.time.OffsetDateTime;
import java.util.Set;

/**
 * What a presented key lets its bearer do: act as its owner, on these models (none: all), until the
 * key expires (null: never).
 */
public record ApiKeyGrant(
    long keyId, long accountId, String username, Set<String> models, OffsetDateTime expiresAt) {}
