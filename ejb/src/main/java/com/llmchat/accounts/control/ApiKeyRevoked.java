package com.llmchat.accounts.control;

/** A key was revoked: observed after the transaction by the grants kept in memory. */
public record ApiKeyRevoked(long keyId) {}
