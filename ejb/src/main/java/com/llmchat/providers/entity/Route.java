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
    Integer contextLimit,
    boolean shared,
    boolean vision) {

  /**
   * How meters name the provider: an administrators' provider by its name, a user's own as {@code
   * own} — names users choose would make the series without bound.
   */
  public String meterName() {
    return shared ? providerName : OWN;
  }

  /** A route to a model that takes images. */
  public boolean seesImages() {
    return vision;
  }

  /** The meter name of every user's own provider, and of the models only they serve. */
  public static final String OWN = "own";

  @Override
  public String toString() {
    return "Route[" + providerName + " " + baseUrl + " " + upstreamModel + "]";
  }
}
