package com.llmchat.rest;

import com.llmchat.conversations.boundary.ConversationException;
import com.llmchat.conversations.boundary.ConversationException.Reason;
import com.llmchat.conversations.boundary.Exchange;
import com.llmchat.conversations.boundary.Exchanges;
import com.llmchat.conversations.boundary.StreamRelay;
import com.llmchat.conversations.control.ReplyEvents;
import com.llmchat.conversations.control.ReplyJournal;
import com.llmchat.conversations.control.ReplyJournals;
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
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
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
 * of every open stream, and gives up the streams nobody reads any more. A reply's events are
 * journaled ({@link ReplyJournals}) while it streams and for the resume window after: a client
 * whose connection broke takes the stream up again after the last event it read ({@link #resume}),
 * on this server or any other of the cluster.
 */
@ApplicationScoped
public class ReplyStreams {

  private static final Logger LOG = Logger.getLogger(ReplyStreams.class.getName());

  /** How long a resumed stream waits for the next event before it looks at the heartbeat. */
  private static final long TAIL_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1_000);

  private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

  @Inject StreamRelay relay;
  @Inject ReplyJournals journals;
  @Inject Exchanges exchanges;
  @Inject StreamExecutor streams;
  @Resource ManagedThreadFactory threads;

  @Inject
  @ConfigProperty(name = "llmchat.stream.heartbeat-seconds", defaultValue = "15")
  long heartbeatSeconds;

  /**
   * How long a chat reply streams on after its client went, for it to come back (and how long its
   * events are kept after its end).
   */
  @Inject
  @ConfigProperty(name = "llmchat.stream.resume-seconds", defaultValue = "15")
  long resumeSeconds;

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
    long graceNanos = TimeUnit.SECONDS.toNanos(Math.max(0, resumeSeconds));
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
              events.giveUpIfAbandoned(graceNanos);
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
    long replyId = exchange.reply().id();
    ReplyJournal journal = journals.open(replyId);
    var events = new SseEvents(out, cancellation, journal);
    events.message(MessageView.of(exchange.question()), MessageView.of(exchange.reply()));
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
      try {
        scan.schedule(
            () -> journals.forget(replyId, journal), Math.max(0, resumeSeconds), TimeUnit.SECONDS);
      } catch (RejectedExecutionException stopping) {
        journals.forget(replyId, journal);
      }
    }
  }

  /**
   * Takes a reply's stream up again after {@code lastId}: the events since, then the live tail to
   * the end, from wherever the reply streams; a reply whose events are no longer kept answers with
   * its end only, as stored.
   */
  void resume(long conversationId, long replyId, long lastId, AsyncResponse response) {
    Message reply = exchanges.reply(conversationId, replyId);
    Optional<ReplyJournals.Source> source = journals.find(replyId, lastId);
    ReplyEvents first = null;
    if (source.isPresent()) {
      try {
        first = source.get().after(lastId, 0);
      } catch (IOException left) {
        source = Optional.empty();
      }
    }
    if (first == null || first.missed()) {
      // read again: it may have ended since it was read above
      Message now = exchanges.reply(conversationId, replyId);
      if (now.isStreaming()) {
        throw new ConversationException(
            Reason.NOT_RESUMABLE,
            first == null
                ? "The server that streamed this reply is gone; the reply will be marked"
                    + " interrupted"
                : "The events after "
                    + lastId
                    + " are no longer kept; the reply will be complete"
                    + " when it has ended");
      }
      response.resume(events(out -> SseEvents.storedOnly(out, MessageView.of(now))));
      return;
    }
    ReplyJournals.Source from = source.get();
    ReplyEvents since = first;
    try {
      streams.execute(() -> response.resume(events(out -> tail(from, since, out))));
    } catch (RejectedExecutionException e) {
      response.resume(
          Problem.of(
                  Response.Status.SERVICE_UNAVAILABLE,
                  "server-busy",
                  "The server is streaming as many replies as it may; try again shortly")
              .toResponse()
              .build());
    }
    LOG.fine(() -> "reply " + reply.id() + " resumed after event " + lastId);
  }

  /** Writes the events read, and reads on, until the stream's end (or the client's). */
  private void tail(ReplyJournals.Source source, ReplyEvents first, OutputStream out)
      throws IOException {
    long idleNanos = TimeUnit.SECONDS.toNanos(Math.max(1, heartbeatSeconds));
    long lastWrite = System.nanoTime();
    ReplyEvents events = first;
    while (!events.missed()) {
      if (events.frames().length > 0) {
        out.write(events.frames());
        out.flush();
        lastWrite = System.nanoTime();
      } else if (System.nanoTime() - lastWrite >= idleNanos) {
        out.write(HEARTBEAT);
        out.flush();
        lastWrite = System.nanoTime();
      }
      if (events.ended()) {
        return;
      }
      try {
        events = source.after(events.lastId(), Math.min(TAIL_WAIT_NANOS, idleNanos));
      } catch (IOException left) {
        // the server streaming it left: no end to send; the client asks again and is told
        LOG.log(Level.FINE, "A resumed stream's server left", left);
        return;
      }
    }
    // this reader fell behind what is kept: it ends, and the client asks again (and is told)
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
