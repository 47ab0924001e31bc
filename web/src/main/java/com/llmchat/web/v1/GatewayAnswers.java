package com.llmchat.web.v1;

import com.llmchat.gateway.boundary.Gateway;
import com.llmchat.platform.control.StreamExecutor;
import com.llmchat.providers.boundary.Completions;
import com.llmchat.providers.boundary.ProviderException;
import com.llmchat.providers.boundary.UpstreamAnswer;
import com.llmchat.providers.control.StreamCancellation;
import com.llmchat.providers.control.UpstreamRequests;
import com.llmchat.providers.entity.CompletionResult;
import com.llmchat.providers.entity.StreamEvent;
import com.llmchat.providers.entity.StreamListener;
import com.llmchat.usage.control.LimitExceededException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The answers of {@code /v1} calls that go to a model server: on a stream thread of their own
 * ({@link StreamExecutor}, as conversation replies), a stream passed on line by line or a whole
 * answer as it came. Every answer until the first byte of the model's is ours to give: when no
 * model server answers, the application gets an HTTP error in OpenAI's shape (429 when the last one
 * was rate limited, 400 when it refused the request itself, 504 when it timed out, else 502), never
 * a stream that says so late.
 */
@ApplicationScoped
public class GatewayAnswers {

  private static final Logger LOG = Logger.getLogger(GatewayAnswers.class.getName());

  @Inject Gateway gateway;
  @Inject StreamExecutor streams;

  /**
   * Reads the body ({@code read}: the JSON object with what the call needs, else {@link
   * OpenAiRequests.Invalid}), resolves the call in this request ({@code resolve}: the model and the
   * request), then answers it on a stream thread.
   */
  void answer(
      String body,
      Function<String, JsonObject> read,
      BiFunction<String, JsonObject, Gateway.Call> resolve,
      AsyncResponse response) {
    JsonObject request;
    try {
      request = read.apply(body);
    } catch (OpenAiRequests.Invalid e) {
      response.resume(e.error().response());
      return;
    }
    String model = OpenAiRequests.model(request);
    Gateway.Call call;
    try {
      call = resolve.apply(model, request);
    } catch (LimitExceededException e) {
      response.resume(OpenAiError.limitExceeded(e));
      return;
    } catch (ProviderException e) {
      response.resume(
          (switch (e.reason()) {
                case UNKNOWN_MODEL -> OpenAiError.modelNotFound(model);
                case INVALID -> OpenAiError.invalidRequest(e.getMessage(), "model");
                default ->
                    new OpenAiError(502, e.getMessage(), "server_error", "provider_unusable", null);
              })
              .response());
      return;
    }
    try {
      streams.execute(() -> answer(call, response));
    } catch (RejectedExecutionException e) {
      gateway.release(call);
      response.resume(
          new OpenAiError(
                  503,
                  "The server is relaying as many calls as it may; try again shortly",
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
      LOG.log(Level.WARNING, "A /v1 call failed", e);
      response.resume(
          new OpenAiError(500, "The relay failed", "server_error", "relay_failed", null)
              .response());
    } finally {
      // a call that reached no model server, or failed on the way, gives its reservation back
      gateway.release(call);
    }
  }

  private void stream(Gateway.Call call, AsyncResponse response) {
    var events = new PassThroughEvents();
    var cancellation = new StreamCancellation();
    try (UpstreamAnswer answer = gateway.open(call, events, cancellation)) {
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
        gateway.open(call, StreamListener.NOBODY, new StreamCancellation())) {
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
}
