package com.llmchat.providers.control;

import com.llmchat.json.JsonFactory;
import com.llmchat.providers.entity.StreamEvent;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonParser;

/**
 * The one thing read of a model server's embeddings: its {@code usage}. The vectors — most of a
 * large answer — are skipped by a streaming parser rather than built into objects.
 */
public final class EmbeddingsAnswer {

  private EmbeddingsAnswer() {}

  /** The usage the answer reports at its top level; null when none or not JSON. */
  public static StreamEvent.Usage usage(String body) {
    try (JsonParser parser = JsonFactory.parser(body)) {
      if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
        return null;
      }
      while (parser.hasNext()) {
        JsonParser.Event event = parser.next();
        if (event == JsonParser.Event.END_OBJECT) {
          return null;
        }
        if (event != JsonParser.Event.KEY_NAME) {
          continue;
        }
        String key = parser.getString();
        JsonParser.Event value = parser.next();
        if (value == JsonParser.Event.START_OBJECT && key.equals("usage")) {
          return usage(parser.getObject());
        } else if (value == JsonParser.Event.START_OBJECT) {
          parser.skipObject();
        } else if (value == JsonParser.Event.START_ARRAY) {
          parser.skipArray();
        }
      }
      return null;
    } catch (JsonException | IllegalStateException e) {
      return null;
    }
  }

  private static StreamEvent.Usage usage(JsonObject usage) {
    long prompt = usage.get("prompt_tokens") instanceof JsonNumber n ? n.longValue() : 0;
    long total = usage.get("total_tokens") instanceof JsonNumber n ? n.longValue() : prompt;
    return new StreamEvent.Usage(prompt, 0, total, usage.toString());
  }
}
