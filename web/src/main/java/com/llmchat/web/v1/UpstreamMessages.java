package com.llmchat.web.v1;

import com.llmchat.json.JsonFactory;
import com.llmchat.providers.control.Redaction;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.Optional;

/**
 * What a model server said when it refused an application's request as invalid — its error's
 * message, credentials redacted and cut to a sensible length — so that the application can act on
 * it (a context too long, a parameter the model does not take).
 */
final class UpstreamMessages {

  private static final int MAX_CHARS = 1000;

  private UpstreamMessages() {}

  static Optional<String> of(String body) {
    if (body == null || body.isBlank()) {
      return Optional.empty();
    }
    String message;
    try {
      JsonObject answer = JsonFactory.parseObject(body);
      if (answer.get("error") instanceof JsonObject error
          && error.get("message") instanceof JsonString text) {
        message = text.getString();
      } else if (answer.get("error") instanceof JsonString text) {
        message = text.getString();
      } else if (answer.get("message") instanceof JsonString text) {
        message = text.getString();
      } else {
        return Optional.empty();
      }
    } catch (JsonException e) {
      return Optional.empty();
    }
    String redacted = Redaction.secrets(message.strip());
    return redacted.isEmpty()
        ? Optional.empty()
        : Optional.of(
            redacted.length() > MAX_CHARS ? redacted.substring(0, MAX_CHARS) + "…" : redacted);
  }
}
