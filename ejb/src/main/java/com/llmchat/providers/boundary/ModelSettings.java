package com.llmchat.providers.boundary;

/** What is set on a model; a null field keeps the current value (or the default for a new one). */
public record ModelSettings(
    String upstreamId,
    String alias,
    String displayName,
    Double temperature,
    Integer maxTokens,
    Integer contextLimit,
    Integer priority,
    Boolean enabled,
    String kind,
    Boolean vision) {}
