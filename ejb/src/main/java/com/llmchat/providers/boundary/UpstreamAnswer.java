package com.llmchat.providers.boundary;

import com.llmchat.providers.control.CircuitBreakers;
import com.llmchat.providers.control.ReplyTracker;
import com.llmchat.providers.control.StreamCancellation;
import com.llmchat.providers.control.UpstreamBodies;
import com.llmchat.providers.control.UpstreamClients;
import com.llmchat.providers.entity.Route;
import com.llmchat.providers.entity.StreamEvent;
import com.llmchat.providers.entity.UpstreamCall;
import java.io.InputStream;

/**
 * A model server's answer as it begins, before a byte of it is read: the route that answered and
 * its open body — or, when no route did, why not ({@link #refusal}). Until closed it holds the
 * body, the route's client and its breaker call. Made by {@link Completions#open}, read by {@link
 * Completions#relay} or {@link Completions#readWhole}, closed by whoever opened it.
 */
public final class UpstreamAnswer implements AutoCloseable {

  /**
   * Why no route answered: the last failure, and the HTTP status the last model server answered
   * with (0 when none answered: unreachable, refused address, paused provider, no route).
   */
  public record Refusal(StreamEvent.Error error, int upstreamStatus, String upstreamBody) {

    /** A failure before any model server answered over HTTP. */
    static Refusal of(StreamEvent.Error error) {
      return new Refusal(error, 0, null);
    }

    public boolean timedOut() {
      return "upstream_timeout".equals(error.code());
    }
  }

  final UpstreamCall kind;
  final ReplyTracker tracker;
  final StreamCancellation cancellation;
  final Route route;
  final InputStream body;
  final CircuitBreakers.Call call;
  private final UpstreamClients.Lease client;
  private final Refusal refusal;
  private final Runnable ended;
  private boolean closed;
  // the body was read to its end (or given up) by the pipeline
  boolean read;

  /** A route's answer; {@code refusal} null. */
  UpstreamAnswer(
      UpstreamCall kind,
      ReplyTracker tracker,
      StreamCancellation cancellation,
      Route route,
      InputStream body,
      CircuitBreakers.Call call,
      UpstreamClients.Lease client,
      Refusal refusal,
      Runnable ended) {
    this.kind = kind;
    this.tracker = tracker;
    this.cancellation = cancellation;
    this.route = route;
    this.body = body;
    this.call = call;
    this.client = client;
    this.refusal = refusal;
    this.ended = ended;
  }

  static UpstreamAnswer refused(
      UpstreamCall kind,
      ReplyTracker tracker,
      StreamCancellation cancellation,
      Refusal refusal,
      Runnable ended) {
    return new UpstreamAnswer(kind, tracker, cancellation, null, null, null, null, refusal, ended);
  }

  /** Whether a model server answered: there is a body to read. */
  public boolean answered() {
    return body != null;
  }

  /** The route that answered; null when none did. */
  public Route route() {
    return route;
  }

  /** Why no route answered; null when one did. */
  public Refusal refusal() {
    return refusal;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (body != null && !read) {
        // never read: cut the connection rather than read the answer nobody wants
        UpstreamBodies.abort(body);
      }
    } finally {
      try {
        if (call != null) {
          call.close();
        }
      } finally {
        if (client != null) {
          client.close();
        }
        ended.run();
      }
    }
  }
}
