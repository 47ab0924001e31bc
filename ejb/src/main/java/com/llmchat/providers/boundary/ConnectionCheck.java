package com.llmchat.providers.boundary;

import java.util.List;

/** What a call to the provider's {@code /models} found: the model ids, or why it failed. */
public record ConnectionCheck(
    boolean reachable, long latencyMs, List<String> models, String error) {}
