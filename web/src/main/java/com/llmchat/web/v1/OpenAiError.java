package com.llmchat.web.v1;

import com.llmchat.json.JsonFactory;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An error as OpenAI answers it — {@code {"error":{"message","type","param","code"}}} — which the
 * SDKs turn into their own exception types by status.
 */
record OpenAiError(int status, String message, String type, String code, String param) {

  static OpenAiError invalidApiKey(String message) {
    return new OpenAiError(401, message, "invalid_request_error", "invalid_api_key", null);
  }

  static OpenAiError invalidRequest(String message, String param) {
    return new OpenAiError(400, message, "invalid_request_error", null, param);
  }

  static OpenAiError modelNotFound(String model) {
    return new OpenAiError(
        404,
        "The model `" + model + "` does not exist or you do not have access to it.",
        "invalid_request_error",
        "model_not_found",
        "model");
  }

  Response response() {
    JsonObjectBuilder error = JsonFactory.object().add("message", message).add("type", type);
    if (param == null) {
      error.addNull("param");
    } else {
      error.add("param", param);
    }
    if (code == null) {
      error.addNull("code");
    } else {
      error.add("code", code);
    }
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(JsonFactory.object().add("error", error).build().toString())
        .build();
  }
}
