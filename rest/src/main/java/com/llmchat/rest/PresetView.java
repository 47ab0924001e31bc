package com.llmchat.rest;

import com.llmchat.presets.entity.Preset;
import java.util.List;
import java.util.Set;

/**
 * A preset as the API shows it. {@code shared}: an administrator's; {@code everyone} and {@code
 * groups} (who it is offered to) only in the administrators' API.
 */
public record PresetView(
    long id,
    String name,
    String description,
    String model,
    String systemPrompt,
    Double temperature,
    Integer maxTokens,
    String greeting,
    List<String> suggestions,
    boolean shared,
    Boolean everyone,
    Set<Long> groups,
    String updatedAt) {

  static PresetView of(Preset preset) {
    return view(preset, false);
  }

  static PresetView forAdministrators(Preset preset) {
    return view(preset, true);
  }

  private static PresetView view(Preset preset, boolean sharing) {
    return new PresetView(
        preset.id(),
        preset.name(),
        preset.description(),
        preset.model(),
        preset.systemPrompt(),
        preset.temperature(),
        preset.maxTokens(),
        preset.greeting(),
        preset.suggestions(),
        preset.shared(),
        sharing ? preset.everyone() : null,
        sharing ? preset.groups() : null,
        preset.updatedAt().toString());
  }
}
