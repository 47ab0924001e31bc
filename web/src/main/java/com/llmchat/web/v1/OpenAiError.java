package com.llmchat.web.v1;

import com.llmchat.json.JsonFactory;
import com.llmchat.usage.control.LimitExceededException;
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

  /**
   * A budget or rate limit of the caller, the group or the key has no room: 429 as OpenAI answers a
   * used-up quota ({@code insufficient_quota}) or a rate limit ({@code rate_limit_exceeded}), with
   * {@code Retry-After} in seconds until it resets.
   */
  static Response limitExceeded(LimitExceededException e) {
    OpenAiError error =
        e.rateLimited()
            ? new OpenAiError(429, e.getMessage(), "requests", "rate_limit_exceeded", null)
            : new OpenAiError(
                429, e.getMessage(), "insufficient_quota", "insufficient_quota", null);
    return Response.fromResponse(error.response())
        .header("Retry-After", String.valueOf(e.retryAfterSeconds()))
        .build();
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
