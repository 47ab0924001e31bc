package com.llmchat.rest;

import com.llmchat.providers.control.UpstreamFailures;
import com.llmchat.providers.entity.Model;
import com.llmchat.providers.entity.Provider;
import java.util.List;
import java.util.Optional;

/**
 * A provider as the API shows it: of its API key only a hint (its last four characters), under a
 * name of its own, so that a view sent back as it was read keeps the stored key.
 */
public record ProviderView(
    long id,
    String name,
    String baseUrl,
    String apiKeyHint,
    boolean hasApiKey,
    int connectTimeoutMs,
    int readTimeoutMs,
    boolean includeUsage,
    boolean allowPrivateNetwork,
    boolean enabled,
    boolean preset,
    boolean shared,
    List<ModelView> models,
    LastFailure lastFailure,
    String createdAt,
    String updatedAt) {

  /** What the model server said when it last failed, credentials redacted (since start). */
  public record LastFailure(String at, String code, String detail) {}

  /** A model of a provider. */
  public record ModelView(
      long id,
      long providerId,
      String upstreamId,
      String alias,
      String displayName,
      boolean enabled,
      Double temperature,
      Integer maxTokens,
      Integer contextLimit,
      int priority,
      String kind,
      boolean vision) {

    static ModelView of(Model model) {
      return new ModelView(
          model.id(),
          model.provider().id(),
          model.upstreamId(),
          model.alias(),
          model.displayName(),
          model.enabled(),
          model.temperature(),
          model.maxTokens(),
          model.contextLimit(),
          model.priority(),
          model.kind().json(),
          model.vision());
    }
  }

  static ProviderView of(
      Provider provider, List<Model> models, Optional<UpstreamFailures.Failure> failure) {
    boolean hasKey = provider.apiKeySealed() != null;
    return new ProviderView(
        provider.id(),
        provider.name(),
        provider.baseUrl(),
        hasKey ? "…" + (provider.apiKeyHint() == null ? "" : provider.apiKeyHint()) : null,
        hasKey,
        provider.connectTimeoutMs(),
        provider.readTimeoutMs(),
        provider.includeUsage(),
        provider.allowPrivateNetwork(),
        provider.enabled(),
        provider.preset(),
        provider.isSharedWithEverybody(),
        models.stream().map(ModelView::of).toList(),
        failure.map(f -> new LastFailure(f.at().toString(), f.code(), f.detail())).orElse(null),
        provider.createdAt().toString(),
        provider.updatedAt().toString());
  }
}
