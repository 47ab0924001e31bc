package com.llmchat.rest;

import com.llmchat.json.JsonFactory;
import com.llmchat.providers.control.StreamCancellation;
import com.llmchat.providers.entity.StreamEvent;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes a reply's stream to one SSE client as typed events ({@code message}, {@code delta}, {@code
 * tool_call}, {@code usage}, {@code error}, {@code done}) with increasing ids. Tells the caller
 * when the client has gone.
 */
final class SseEvents {

  private final SseEventSink sink;
  private final Sse sse;
  private final StreamCancellation cancellation;
  private final long sendTimeoutNanos;
  private volatile long lastWriteNanos = System.nanoTime();
  private ScheduledFuture<?> heartbeats;
  private long nextId = 1;
  private String finishReason;
  private boolean upstreamDone;

  /**
   * {@code sendTimeout}: how long one event may wait for the client. A client that stops reading
   * fills the socket; WildFly then closes the connection, but the pending send never completes, so
   * this bound is what ends the stream (and the model server call).
   */
  SseEvents(SseEventSink sink, Sse sse, StreamCancellation cancellation, Duration sendTimeout) {
    this.sink = sink;
    this.sse = sse;
    this.cancellation = cancellation;
    this.sendTimeoutNanos = sendTimeout.toNanos();
  }

  /**
   * While nothing else is written, a comment every interval keeps proxies from closing the
   * connection and finds out that the client has gone, which then cancels the stream.
   */
  void keepAlive(ScheduledExecutorService scheduler, Duration interval) {
    long nanos = interval.toNanos();
    // looked at twice per interval, so that silence never lasts much longer than the interval
    long period = Math.max(nanos / 2, TimeUnit.MILLISECONDS.toNanos(250));
    heartbeats =
        scheduler.scheduleAtFixedRate(
            () -> {
              if (System.nanoTime() - lastWriteNanos >= nanos
                  && !write(sse.newEventBuilder().comment("keep-alive").build())) {
                cancellation.cancel();
              }
            },
            period,
            period,
            TimeUnit.NANOSECONDS);
  }

  /** Returns false when the client is gone and the stream should stop. */
  boolean send(StreamEvent event) {
    if (event instanceof StreamEvent.Delta delta) {
      return emit(
          "delta",
          nullable(
              nullable(JsonFactory.object(), "content", delta.content()),
              "reasoning",
              delta.reasoning()));
    }
    if (event instanceof StreamEvent.ToolCallDelta call) {
      JsonObjectBuilder data = JsonFactory.object().add("index", call.index());
      nullable(data, "id", call.id());
      nullable(data, "type", call.type());
      nullable(data, "name", call.name());
      return emit("tool_call", nullable(data, "arguments", call.arguments()));
    }
    if (event instanceof StreamEvent.Usage usage) {
      return emit(
          "usage",
          JsonFactory.object()
              .add("promptTokens", usage.promptTokens())
              .add("completionTokens", usage.completionTokens())
              .add("totalTokens", usage.totalTokens())
              .add("upstream", parse(usage.json())));
    }
    if (event instanceof StreamEvent.Error error) {
      JsonObjectBuilder data =
          nullable(JsonFactory.object().add("message", error.message()), "code", error.code());
      return emit("error", data.add("upstream", parse(error.json())));
    }
    if (event instanceof StreamEvent.Finish finish) {
      finishReason = finish.reason();
    }
    if (event instanceof StreamEvent.Done) {
      upstreamDone = true;
    }
    return !sink.isClosed();
  }

  private static JsonValue parse(String json) {
    return json == null ? JsonValue.NULL : JsonFactory.parse(json);
  }

  /** Announces the stored question and the reply that is about to stream. */
  boolean message(MessageView question, MessageView reply) {
    return emit(
        "message",
        JsonFactory.object().add("question", question.json()).add("reply", reply.json()));
  }

  /** Ends the stream with {@code done}: how it finished and the reply as stored (if it was). */
  void close(MessageView stored) {
    if (heartbeats != null) {
      heartbeats.cancel(false);
    }
    if (!sink.isClosed()) {
      JsonObjectBuilder done =
          nullable(JsonFactory.object(), "finishReason", finishReason)
              .add("upstreamDone", upstreamDone);
      if (stored != null) {
        done.add("status", stored.status()).add("reply", stored.json());
      }
      emit("done", done);
      sink.close();
    }
  }

  boolean emit(String name, JsonObjectBuilder data) {
    if (sink.isClosed()) {
      return false;
    }
    synchronized (this) {
      return write(
          sse.newEventBuilder()
              .id(Long.toString(nextId++))
              .name(name)
              .mediaType(MediaType.APPLICATION_JSON_TYPE)
              .data(data.build().toString())
              .build());
    }
  }

  /** Writes one event and waits for it, so a slow client slows the upstream read. */
  private synchronized boolean write(OutboundSseEvent event) {
    if (sink.isClosed()) {
      return false;
    }
    try {
      sink.send(event).toCompletableFuture().get(sendTimeoutNanos, TimeUnit.NANOSECONDS);
      lastWriteNanos = System.nanoTime();
      return true;
    } catch (ExecutionException | CompletionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static JsonObjectBuilder nullable(JsonObjectBuilder builder, String key, String value) {
    return value == null ? builder.addNull(key) : builder.add(key, value);
  }
}
