package com.llmchat.providers.boundary;

/**
 * What an administrator or a user sets on a provider. A null field keeps the current value; an
 * empty API key removes the stored one.
 */
public record ProviderSettings(
    String name,
    String baseUrl,
    String apiKey,
    Integer connectTimeoutMs,
    Integer readTimeoutMs,
    Boolean includeUsage,
    Boolean allowPrivateNetwork,
    Boolean enabled) {

  @Override
  public String toString() {
    return "ProviderSettings[" + name + " " + baseUrl + "]";
  }
}
