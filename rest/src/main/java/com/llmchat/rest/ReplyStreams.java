package com.llmchat.rest;

import com.llmchat.conversations.boundary.Exchange;
import com.llmchat.conversations.boundary.StreamRelay;
import com.llmchat.conversations.entity.Message;
import com.llmchat.platform.control.StreamExecutor;
import com.llmchat.providers.control.StreamCancellation;
import com.llmchat.providers.entity.StreamEvent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The relay's HTTP edge: answers a prepared exchange with its reply as server-sent events. Each
 * stream runs on a thread of its own ({@link StreamExecutor}), which resumes the suspended request
 * and writes the events as the model server sends them; beyond the executor's limit the reply is
 * refused at once ({@code server_busy}) and stored as failed. One timer looks after the heartbeats
 * of every open stream.
 */
@ApplicationScoped
public class ReplyStreams {

  private static final Logger LOG = Logger.getLogger(ReplyStreams.class.getName());

  @Inject StreamRelay relay;
  @Inject StreamExecutor streams;
  @Resource ManagedThreadFactory threads;

  @Inject
  @ConfigProperty(name = "llmchat.stream.heartbeat-seconds", defaultValue = "15")
  long heartbeatSeconds;

  private final Set<SseEvents> open = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService scan;
  private ExecutorService writers;

  @PostConstruct
  void startHeartbeats() {
    long idleNanos = TimeUnit.SECONDS.toNanos(Math.max(1, heartbeatSeconds));
    // every stream looked at four times a second (a time comparison each); each heartbeat is
    // written by a task of its own, so a client that does not read delays no other
    long period = TimeUnit.MILLISECONDS.toNanos(250);
    long stuckNanos = TimeUnit.MILLISECONDS.toNanos(500);
    // threads of our own (from the container's factory): a managed executor refuses to run while
    // the server is suspended for a graceful stop, which is when the streams still need them
    scan = Executors.newSingleThreadScheduledExecutor(threads);
    writers =
        new ThreadPoolExecutor(
            0,
            64,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            threads,
            // all busy: this stream's heartbeat waits for the next look
            new ThreadPoolExecutor.DiscardPolicy());
    scan.scheduleAtFixedRate(
        () -> {
          try {
            for (SseEvents events : open) {
              events.giveUpIfStuck(stuckNanos);
              if (events.heartbeatDue(idleNanos)) {
                writers.execute(() -> events.heartbeatIfIdle(idleNanos));
              }
            }
          } catch (RuntimeException e) {
            // a periodic task that throws is never run again
            LOG.log(Level.WARNING, "heartbeats", e);
          }
        },
        period,
        period,
        TimeUnit.NANOSECONDS);
  }

  @PreDestroy
  void stopHeartbeats() {
    scan.shutdownNow();
    writers.shutdownNow();
  }

  /** Resumes the suspended request with the reply's event stream. */
  void answer(Exchange exchange, AsyncResponse response) {
    if (exchange.replay()) {
      response.resume(events(out -> replay(exchange, out)));
      return;
    }
    if (exchange.refused() != null) {
      // a budget or rate limit had no room: the reply is stored failed, no model is asked
      response.resume(
          events(
              out -> {
                var events = opened(out, new StreamCancellation(), exchange);
                events.event(exchange.refused());
                events.close(MessageView.of(exchange.reply()));
              }));
      return;
    }
    var cancellation = new StreamCancellation();
    var started = new AtomicBoolean();
    try {
      streams.execute(
          () -> {
            try {
              response.resume(
                  events(
                      out -> {
                        started.set(true);
                        stream(exchange, out, cancellation);
                      }));
            } finally {
              if (!started.get()) {
                // the response could not be written (the client left at once): no reply may stay
                // streaming
                relay.refuse(
                    exchange, new StreamEvent.Error("The client left before the reply", "gone"));
              }
            }
          });
    } catch (RejectedExecutionException e) {
      var busy =
          new StreamEvent.Error(
              "The server is streaming as many replies as it may; try again shortly",
              "server_busy");
      Message stored = relay.refuse(exchange, busy);
      response.resume(
          events(
              out -> {
                var events = opened(out, cancellation, exchange);
                events.event(busy);
                events.close(view(stored));
              }));
    }
  }

  private void stream(Exchange exchange, OutputStream out, StreamCancellation cancellation) {
    var events = opened(out, cancellation, exchange);
    open.add(events);
    Message stored = null;
    try {
      stored = relay.relay(exchange, events, cancellation);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The reply " + exchange.reply().id() + " was not stored", e);
      events.event(new StreamEvent.Error("The reply could not be stored", "storage_failed"));
    } finally {
      open.remove(events);
      events.close(view(stored));
    }
  }

  /** A resend of a message answered already: the stored reply, and no model call. */
  private static void replay(Exchange exchange, OutputStream out) {
    Message reply = exchange.reply();
    var events = opened(out, new StreamCancellation(), exchange);
    events.event(new StreamEvent.Delta(reply.content(), reply.reasoning()));
    events.event(new StreamEvent.Finish(reply.finishReason()));
    events.close(MessageView.of(reply));
  }

  /** The stream's events, begun with {@code message}: the stored question and reply. */
  private static SseEvents opened(
      OutputStream out, StreamCancellation cancellation, Exchange exchange) {
    var events = new SseEvents(out, cancellation);
    events.message(MessageView.of(exchange.question()), MessageView.of(exchange.reply()));
    return events;
  }

  /** The reply as stored, or null when it was not (its conversation went, or storing failed). */
  private static MessageView view(Message stored) {
    return stored == null ? null : MessageView.of(stored);
  }

  private static Response events(StreamingOutput body) {
    // nginx and similar proxies would otherwise buffer the stream
    return Response.ok(body, MediaType.SERVER_SENT_EVENTS_TYPE)
        .header("X-Accel-Buffering", "no")
        .build();
  }
}
