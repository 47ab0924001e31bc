package com.llmchat.providers.boundary;

import com.llmchat.providers.control.ChatStreamParser;
import com.llmchat.providers.control.PresetModel;
import com.llmchat.providers.control.StreamCancellation;
import com.llmchat.providers.control.UpstreamBodies;
import com.llmchat.providers.control.UpstreamClients;
import com.llmchat.providers.control.UpstreamRetries;
import com.llmchat.providers.entity.StreamEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Streams a completion from a model server to a listener, event by event. No transaction and no
 * database connection is held while tokens flow.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Completions {

  private static final Logger LOG = Logger.getLogger(Completions.class.getName());

  @Inject Models models;
  @Inject PresetModel preset;
  @Inject UpstreamClients clients;
  @Inject UpstreamRetries retries;
  @Inject MeterRegistry meters;

  private Timer firstToken;

  @PostConstruct
  void registerMeters() {
    // time from sending the request to the model server to its first token. WildFly's
    // ApplicationRegistry only exports meters made through its own methods, not Timer.builder
    firstToken = meters.timer("llmchat.chat.first.token");
  }

  /**
   * Blocks until the stream ends. The listener returns false when nobody listens any more, which
   * ends the upstream call.
   */
  public void stream(
      String modelId,
      String prompt,
      Predicate<StreamEvent> listener,
      StreamCancellation cancellation) {
    models.find(modelId).orElseThrow(() -> new UnknownModelException(modelId));
    String request =
        Json.createObjectBuilder()
            .add("model", preset.upstreamModel())
            .add("stream", true)
            .add("stream_options", Json.createObjectBuilder().add("include_usage", true))
            .add(
                "messages",
                Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("role", "user").add("content", prompt)))
            .build()
            .toString();
    long started = System.nanoTime();
    var outcome = new Outcome(listener);
    InputStream body = null;
    try {
      body =
          retries.open(
              () ->
                  clients
                      .forBaseUrl(preset.baseUrl())
                      .streamCompletion(preset.authorization(), request),
              cancellation,
              (kind, willRetry) ->
                  meters
                      .counter(
                          "llmchat.upstream.errors",
                          "kind",
                          kind,
                          "retried",
                          String.valueOf(willRetry))
                      .increment());
      InputStream upstream = body;
      cancellation.onCancel(() -> UpstreamBodies.abort(upstream));
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
      var parser = new ChatStreamParser(event -> outcome.accept(event, started));
      String line;
      while (!outcome.listenerGone
          && !cancellation.cancelled()
          && (line = reader.readLine()) != null) {
        parser.line(line);
      }
      if (!outcome.listenerGone && !cancellation.cancelled()) {
        parser.end();
      }
    } catch (IOException | RuntimeException e) {
      if (!cancellation.cancelled()) {
        LOG.log(Level.FINE, "model server stream failed", e);
        outcome.accept(
            new StreamEvent.Error("The model server failed: " + e.getMessage(), "upstream_failed"),
            started);
      }
    } finally {
      if (outcome.listenerGone || cancellation.cancelled()) {
        // nobody listens: cut the connection rather than read the rest of the answer
        outcome.listenerGone = true;
        cancellation.cancel();
      } else if (body != null) {
        UpstreamBodies.closeQuietly(body);
      }
    }
    meters.counter("llmchat.chat.streams", "outcome", outcome.name()).increment();
  }

  /** Tracks how the stream is going, and records the time to the first token once. */
  private final class Outcome {
    private final Predicate<StreamEvent> listener;
    private boolean awaitingFirstToken = true;
    private boolean failed;
    private boolean listenerGone;

    Outcome(Predicate<StreamEvent> listener) {
      this.listener = listener;
    }

    void accept(StreamEvent event, long started) {
      if (listenerGone) {
        return;
      }
      if (awaitingFirstToken && event instanceof StreamEvent.Delta) {
        awaitingFirstToken = false;
        firstToken.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      }
      failed |= event instanceof StreamEvent.Error;
      listenerGone = !listener.test(event);
    }

    String name() {
      return listenerGone ? "cancelled" : failed ? "failed" : "completed";
    }
  }
}
