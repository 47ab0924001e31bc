package com.llmchat.providers.control;

import com.llmchat.providers.entity.ModelOption;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The model server the operator configured at start (LLMCHAT_LLM_URL, _MODEL, _API_KEY, _NAME),
 * like the LLM_API_URL / LLM_MODEL / LLM_API_KEY settings operators know from other systems.
 */
@ApplicationScoped
public class PresetModel {

  public static final String SIMULATOR_MARKER = "(simulated)";

  @Inject
  @ConfigProperty(name = "llmchat.llm.url")
  Optional<String> baseUrl;

  @Inject
  @ConfigProperty(name = "llmchat.llm.model")
  Optional<String> model;

  @Inject
  @ConfigProperty(name = "llmchat.llm.api-key")
  Optional<String> apiKey;

  @Inject
  @ConfigProperty(name = "llmchat.llm.name")
  Optional<String> name;

  public Optional<ModelOption> option() {
    if (baseUrl.isEmpty() || model.isEmpty()) {
      return Optional.empty();
    }
    String displayName = name.filter(n -> !n.isBlank()).orElse(model.get());
    return Optional.of(
        new ModelOption(model.get(), displayName, displayName.contains(SIMULATOR_MARKER)));
  }

  public String baseUrl() {
    return normalizeBaseUrl(baseUrl.orElseThrow());
  }

  /**
   * Operators often paste the full endpoint ({@code http://host:11553/v1/chat/completions}) as
   * other systems asked them to; the OpenAI convention is the base URL ending in {@code /v1}.
   */
  static String normalizeBaseUrl(String url) {
    String base = url.trim();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    for (String endpoint : new String[] {"/chat/completions", "/completions", "/models"}) {
      if (base.endsWith(endpoint)) {
        return base.substring(0, base.length() - endpoint.length());
      }
    }
    return base;
  }

  public String upstreamModel() {
    return model.orElseThrow();
  }

  /** The Authorization header value, or null when the server needs no key (Ollama, vLLM). */
  public String authorization() {
    return apiKey.filter(k -> !k.isBlank()).map(k -> "Bearer " + k).orElse(null);
  }
}
