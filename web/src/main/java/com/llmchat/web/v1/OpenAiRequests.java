package com.llmchat.web.v1;

import com.llmchat.json.JsonFactory;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** What every {@code /v1} request body must be: a JSON object that names a model. */
final class OpenAiRequests {

  private OpenAiRequests() {}

  /** A request that cannot be sent on: 400 in OpenAI's shape, naming the parameter at fault. */
  static final class Invalid extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient OpenAiError error;

    Invalid(String message, String param) {
      super(message, null, false, false);
      this.error = OpenAiError.invalidRequest(message, param);
    }

    OpenAiError error() {
      return error;
    }
  }

  /** The body as a JSON object with a model. */
  static JsonObject withModel(String body) {
    JsonValue parsed;
    try {
      parsed = JsonFactory.parse(body == null ? "" : body);
    } catch (JsonException e) {
      throw new Invalid(
          "We could not parse the JSON body of your request. Send a JSON object.", null);
    }
    if (!(parsed instanceof JsonObject request)) {
      throw new Invalid("The body of your request must be a JSON object.", null);
    }
    if (!(request.get("model") instanceof JsonString model) || model.getString().isBlank()) {
      throw new Invalid("You must provide a model parameter.", "model");
    }
    return request;
  }

  static String model(JsonObject request) {
    return ((JsonString) request.get("model")).getString();
  }
}
