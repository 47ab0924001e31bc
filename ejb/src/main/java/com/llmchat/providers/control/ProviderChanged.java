package com.llmchat.providers.control;

import com.llmchat.platform.control.ClusterWide;

/**
 * A provider or one of its models was created, changed or deleted: fired by the providers'
 * boundary, observed after the transaction, on every server of a cluster, by what keeps copies
 * (clients, routes).
 */
public record ProviderChanged(long providerId) implements ClusterWide {}
