package com.llmchat.providers.control;

/**
 * A provider or one of its models was created, changed or deleted: fired by the providers'
 * boundary, observed after the transaction by what keeps copies (clients, routes).
 */
public record ProviderChanged(long providerId) {}
