package com.llmchat.accounts.control;

import com.llmchat.platform.control.ClusterWide;

/**
 * A key was revoked: observed after the transaction, on every server of a cluster, by the grants
 * kept in memory.
 */
public record ApiKeyRevoked(long keyId) implements ClusterWide {}
