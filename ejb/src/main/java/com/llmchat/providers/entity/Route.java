package com.llmchat.providers.entity;

/**
 * One way to reach a model: the provider, its opened credentials and the model's upstream id and
 * defaults. Built for one completion and dropped after it; never printed with its key.
 */
public record Route(
    long providerId,
    String providerName,
    String baseUrl,
    String authorization,
    String upstreamModel,
    boolean includeUsage,
    boolean allowPrivateNetwork,
    int connectTimeoutMs,
    int readTimeoutMs,
    Double temperature,
    Integer maxTokens,
    Integer contextLimit) {

  @Override
  public String toString() {
    return "Route[" + providerName + " " + baseUrl + " " + upstreamModel + "]";
  }
}
