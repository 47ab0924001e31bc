package com.llmchat.web.v1;

import com.llmchat.gateway.boundary.Gateway;
import com.llmchat.json.JsonFactory;
import com.llmchat.platform.control.StreamExecutor;
import com.llmchat.providers.boundary.Completions;
import com.llmchat.providers.boundary.ProviderException;
import com.llmchat.providers.boundary.UpstreamAnswer;
import com.llmchat.providers.control.StreamCancellation;
import com.llmchat.providers.control.UpstreamRequests;
import com.llmchat.providers.entity.CompletionResult;
import com.llmchat.providers.entity.StreamEvent;
import com.llmchat.providers.entity.StreamListener;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST /v1/chat/completions}: an application's request sent on as it came — tools and {@code
 * tool_choice}, {@code response_format}, message parts, provider extras — to the routes of the
 * model it names (our alias), with fallback, retries and breakers as in chat. Streamed ({@code
 * "stream": true}) or whole. Every answer until the first byte of the model's is ours to give: when
 * no model server answers, the application gets an HTTP error in OpenAI's shape (429 when the last
 * one was rate limited, 504 when it timed out, else 502), never a stream that says so late.
 */
@RequestScoped
@Path("chat/completions")
public class ChatCompletionsResource {

  private static final Logger LOG = Logger.getLogger(ChatCompletionsResource.class.getName());

  private static final StreamListener NOBODY_STREAMS =
      new StreamListener() {
        @Override
        public boolean event(StreamEvent event) {
          return true;
        }

        @Override
        public boolean flush() {
          return true;
        }
      };

  @Inject Gateway gateway;
  @Inject StreamExecutor streams;

  @POST
  @Consumes(MediaType.WILDCARD)
  public void complete(String body, @Suspended AsyncResponse response) {
    JsonObject request;
    String model;
    try {
      request = request(body);
      model = ((JsonString) request.get("model")).getString();
    } catch (InvalidRequest e) {
      response.resume(e.error.response());
      return;
    }
    Gateway.Call call;
    try {
      call = gateway.call(model, request);
    } catch (ProviderException e) {
      response.resume(
          (e.reason() == ProviderException.Reason.UNKNOWN_MODEL
                  ? OpenAiError.modelNotFound(model)
                  : new OpenAiError(502, e.getMessage(), "server_error", "provider_unusable", null))
              .response());
      return;
    }
    try {
      streams.execute(() -> answer(call, response));
    } catch (RejectedExecutionException e) {
      response.resume(
          new OpenAiError(
                  503,
                  "The server is relaying as many completions as it may; try again shortly",
                  "server_error",
                  "server_busy",
                  null)
              .response());
    }
  }

  private void answer(Gateway.Call call, AsyncResponse response) {
    try {
      if (call.streams()) {
        stream(call, response);
      } else {
        whole(call, response);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "A /v1 completion failed", e);
      response.resume(
          new OpenAiError(500, "The relay failed", "server_error", "relay_failed", null)
              .response());
    }
  }

  private void stream(Gateway.Call call, AsyncResponse response) {
    var events = new PassThroughEvents();
    var cancellation = new StreamCancellation();
    try (UpstreamAnswer answer = gateway.open(call, true, events, cancellation)) {
      if (!answer.answered()) {
        response.resume(refused(answer.refusal()).response());
        return;
      }
      // the usage chunk this server asked for itself is not the application's to see
      boolean leaveOutUsage =
          answer.route().includeUsage() && !UpstreamRequests.asksForUsage(call.request());
      StreamingOutput body =
          out -> {
            events.attach(out, leaveOutUsage);
            gateway.relay(call, answer);
            events.end();
          };
      response.resume(
          Response.ok(body, "text/event-stream; charset=utf-8")
              .header("Cache-Control", "no-cache")
              // nginx and similar proxies would otherwise buffer the stream
              .header("X-Accel-Buffering", "no")
              .build());
    }
  }

  private void whole(Gateway.Call call, AsyncResponse response) {
    try (UpstreamAnswer answer =
        gateway.open(call, false, NOBODY_STREAMS, new StreamCancellation())) {
      if (!answer.answered()) {
        response.resume(refused(answer.refusal()).response());
        return;
      }
      Completions.Whole whole = gateway.readWhole(call, answer);
      if (whole.body() == null) {
        response.resume(broken(whole.result()).response());
        return;
      }
      response.resume(Response.ok(whole.body(), MediaType.APPLICATION_JSON_TYPE).build());
    }
  }

  /** No model server answered: the last one's refusal as the application should see it. */
  static OpenAiError refused(UpstreamAnswer.Refusal refusal) {
    StreamEvent.Error error = refusal.error();
    int status = refusal.upstreamStatus();
    if (status == 429) {
      return new OpenAiError(429, error.message(), "rate_limit_error", "rate_limit_exceeded", null);
    }
    if (status == 400 || status == 413 || status == 422) {
      // the request itself was refused (context too long, a bad parameter): the application can
      // act on the model server's own words, credentials redacted
      return new OpenAiError(
          400,
          UpstreamMessages.of(refusal.upstreamBody()).orElse(error.message()),
          "invalid_request_error",
          "upstream_refused",
          null);
    }
    if (refusal.timedOut()) {
      return new OpenAiError(504, error.message(), "server_error", error.code(), null);
    }
    return new OpenAiError(502, error.message(), "server_error", error.code(), null);
  }

  /** A whole answer that broke off or was too large. */
  private static OpenAiError broken(CompletionResult result) {
    StreamEvent.Error error = result.assembly().error();
    String code = error == null || error.code() == null ? "upstream_failed" : error.code();
    String message = error == null ? "The model server's answer broke off" : error.message();
    return new OpenAiError(
        "upstream_timeout".equals(code) ? 504 : 502, message, "server_error", code, null);
  }

  /** The request as JSON, with what every chat completion needs. */
  private static JsonObject request(String body) {
    JsonValue parsed;
    try {
      parsed = JsonFactory.parse(body == null ? "" : body);
    } catch (JsonException e) {
      throw new InvalidRequest(
          "We could not parse the JSON body of your request. Send a JSON object.", null);
    }
    if (!(parsed instanceof JsonObject request)) {
      throw new InvalidRequest("The body of your request must be a JSON object.", null);
    }
    if (!(request.get("model") instanceof JsonString model) || model.getString().isBlank()) {
      throw new InvalidRequest("You must provide a model parameter.", "model");
    }
    if (!(request.get("messages") instanceof JsonArray messages) || messages.isEmpty()) {
      throw new InvalidRequest("messages must be a non-empty array.", "messages");
    }
    JsonValue stream = request.get("stream");
    if (stream != null
        && stream != JsonValue.TRUE
        && stream != JsonValue.FALSE
        && stream != JsonValue.NULL) {
      throw new InvalidRequest("stream must be a boolean.", "stream");
    }
    return request;
  }

  private static final class InvalidRequest extends RuntimeException {
    private final transient OpenAiError error;

    InvalidRequest(String message, String param) {
      super(message, null, false, false);
      this.error = OpenAiError.invalidRequest(message, param);
    }
  }
}
