package com.llmchat.accounts.control;

/**
 * An account is about to be deleted, in the deleting transaction: what refers to it and must
 * outlive it is settled now (observers run synchronously, before the rows go).
 */
public record AccountDeleting(long accountId) {}
