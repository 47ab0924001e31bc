package com.llmchat.presets.entity;

import java.util.List;

/**
 * What a preset is set to, checked when made: a name (1–100 characters), a description (≤ 500), a
 * model alias, a system prompt (≤ 100,000), temperature 0–2 and max tokens 1–1,000,000 (null: the
 * model's defaults), a greeting (≤ 10,000) and up to 6 suggested first messages (≤ 500 each, one
 * line).
 */
public record PresetSettings(
    String name,
    String description,
    String model,
    String systemPrompt,
    Double temperature,
    Integer maxTokens,
    String greeting,
    List<String> suggestions) {

  public static final int MAX_SUGGESTIONS = 6;

  public PresetSettings {
    name = text(name, "name", 100, true);
    description = text(description, "description", 500, false);
    model = text(model, "model", 100, true);
    systemPrompt = text(systemPrompt, "systemPrompt", 100_000, false);
    greeting = text(greeting, "greeting", 10_000, false);
    if (temperature != null && (temperature < 0 || temperature > 2 || temperature.isNaN())) {
      throw new IllegalArgumentException("temperature is between 0 and 2");
    }
    if (maxTokens != null && (maxTokens < 1 || maxTokens > 1_000_000)) {
      throw new IllegalArgumentException("maxTokens is between 1 and 1,000,000");
    }
    List<String> given = suggestions == null ? List.of() : suggestions;
    if (given.size() > MAX_SUGGESTIONS) {
      throw new IllegalArgumentException("at most " + MAX_SUGGESTIONS + " suggestions");
    }
    suggestions =
        given.stream()
            .map(
                s -> {
                  String one = text(s, "a suggestion", 500, true);
                  if (one.contains("\n") || one.contains("\r")) {
                    throw new IllegalArgumentException("a suggestion is one line");
                  }
                  return one;
                })
            .toList();
  }

  private static String text(String value, String field, int max, boolean required) {
    String stripped = value == null ? "" : value.strip();
    if (stripped.isEmpty()) {
      if (required) {
        throw new IllegalArgumentException(field + " is required");
      }
      return null;
    }
    if (stripped.length() > max) {
      throw new IllegalArgumentException(field + " has at most " + max + " characters");
    }
    return stripped;
  }
}
