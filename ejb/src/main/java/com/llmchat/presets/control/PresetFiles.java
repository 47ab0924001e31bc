package com.llmchat.presets.control;

import com.llmchat.json.JsonFactory;
import com.llmchat.presets.entity.PresetSettings;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Presets as JSON files: {@code {"format":"llmchat-presets","version":1,"presets":[…]}} written by
 * an export and read by an import or from the presets directory at start (a bare array of presets
 * is read too). Pure.
 */
public final class PresetFiles {

  public static final String FORMAT = "llmchat-presets";

  private PresetFiles() {}

  public static String write(List<PresetSettings> presets) {
    var items = JsonFactory.array();
    for (PresetSettings preset : presets) {
      var json = JsonFactory.object().add("name", preset.name()).add("model", preset.model());
      optional(json, "description", preset.description());
      optional(json, "systemPrompt", preset.systemPrompt());
      if (preset.temperature() != null) {
        json.add("temperature", preset.temperature());
      }
      if (preset.maxTokens() != null) {
        json.add("maxTokens", preset.maxTokens());
      }
      optional(json, "greeting", preset.greeting());
      var suggestions = JsonFactory.array();
      preset.suggestions().forEach(suggestions::add);
      items.add(json.add("suggestions", suggestions));
    }
    return JsonFactory.object()
        .add("format", FORMAT)
        .add("version", 1)
        .add("exportedAt", OffsetDateTime.now(ZoneOffset.UTC).toString())
        .add("presets", items)
        .build()
        .toString();
  }

  private static void optional(jakarta.json.JsonObjectBuilder json, String name, String value) {
    if (value != null) {
      json.add(name, value);
    }
  }

  /**
   * The presets of a file; what is wrong with it, naming the preset, as IllegalArgumentException.
   */
  public static List<PresetSettings> read(JsonValue file) {
    JsonArray presets;
    if (file instanceof JsonObject object && FORMAT.equals(string(object, "format"))) {
      if (object.getInt("version", 0) != 1 || !(object.get("presets") instanceof JsonArray a)) {
        throw new IllegalArgumentException("Not version 1 of the presets format, or no presets");
      }
      presets = a;
    } else if (file instanceof JsonArray array) {
      presets = array;
    } else {
      throw new IllegalArgumentException("Not a presets file of LLM Chat");
    }
    List<PresetSettings> read = new ArrayList<>();
    for (int i = 0; i < presets.size(); i++) {
      if (!(presets.get(i) instanceof JsonObject preset)) {
        throw new IllegalArgumentException("preset " + (i + 1) + " is not an object");
      }
      try {
        List<String> suggestions = new ArrayList<>();
        if (preset.get("suggestions") instanceof JsonArray given) {
          for (JsonValue suggestion : given) {
            if (suggestion instanceof JsonString text) {
              suggestions.add(text.getString());
            }
          }
        }
        read.add(
            new PresetSettings(
                string(preset, "name"),
                string(preset, "description"),
                string(preset, "model"),
                string(preset, "systemPrompt"),
                preset.get("temperature") instanceof JsonNumber t ? t.doubleValue() : null,
                preset.get("maxTokens") instanceof JsonNumber n ? n.intValue() : null,
                string(preset, "greeting"),
                suggestions));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("preset " + (i + 1) + ": " + e.getMessage());
      }
    }
    return read;
  }

  private static String string(JsonObject object, String name) {
    return object.get(name) instanceof JsonString value ? value.getString() : null;
  }
}
