package com.llmchat.providers.control;

import com.llmchat.providers.entity.Route;
import com.llmchat.providers.entity.StreamEvent;
import com.llmchat.providers.entity.StreamListener;
import com.llmchat.providers.entity.UpstreamCall;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The hot path: a model server's answer read to its end — upstream bytes, SSE lines ({@link
 * UpstreamLines}, a scan of the bytes read), the few fields needed ({@link ChatStreamParser}),
 * events to the tracker — and passed on whenever nothing more has arrived, so that a burst leaves
 * in one write and a lone token at once. Bounded: line, event and reply sizes are capped.
 */
@ApplicationScoped
public class StreamPipeline {

  private static final Logger LOG = Logger.getLogger(StreamPipeline.class.getName());

  /** The longest line of a model server's stream this server reads (bytes). */
  @Inject
  @ConfigProperty(name = "llmchat.llm.max-line-bytes", defaultValue = "1048576")
  int maxLineBytes;

  /** The largest event (its data lines together, characters). */
  @Inject
  @ConfigProperty(name = "llmchat.llm.max-event-chars", defaultValue = "4194304")
  int maxEventChars;

  /** The longest reply: content, reasoning and tool call arguments together (characters). */
  @Inject
  @ConfigProperty(name = "llmchat.llm.max-reply-chars", defaultValue = "8388608")
  long maxReplyChars;

  @Inject RelayMeters meters;
  @Inject UpstreamFailures failures;

  /** A tracker for one reply, with this server's cap on its size. */
  public ReplyTracker tracker(StreamListener listener, long startedNanos) {
    return new ReplyTracker(listener, meters, maxReplyChars, startedNanos);
  }

  /**
   * Reads the answer until it ends, nobody listens or the call is cancelled; a broken stream is
   * reported to the tracker as an error event and counts against the provider's breaker.
   */
  public void read(
      InputStream body,
      ReplyTracker tracker,
      StreamCancellation cancellation,
      Route route,
      CircuitBreakers.Call call) {
    cancellation.onCancel(() -> UpstreamBodies.abort(body));
    try {
      var lines = new UpstreamLines(body, maxLineBytes);
      var parser = new ChatStreamParser(tracker::accept, maxEventChars);
      String line;
      while (!tracker.listenerGone()
          && !cancellation.cancelled()
          && (line = lines.next()) != null) {
        tracker.line(line);
        parser.line(line);
        if (!lines.buffered()) {
          // nothing more has arrived: pass on what this read brought (a burst leaves together)
          tracker.flush();
          meters.chunk(System.nanoTime() - lines.readNanos());
        }
      }
      if (!tracker.listenerGone() && !cancellation.cancelled()) {
        parser.end();
      }
      // an error the provider reports in the stream (context too long, content filter) is an
      // answer, not a sign of ill health: only broken connections count against the breaker
      call.succeeded();
    } catch (UpstreamLimitException e) {
      tooLarge(route, tracker, e);
      UpstreamBodies.abort(body);
    } catch (IOException | RuntimeException e) {
      if (!cancellation.cancelled() && !tracker.listenerGone()) {
        LOG.log(Level.FINE, "model server stream failed", e);
        brokeOff(route, call, tracker, e);
      }
    } finally {
      if (tracker.listenerGone() || cancellation.cancelled()) {
        // nobody listens: cut the connection rather than read the rest of the answer
        tracker.abandon();
        cancellation.cancel();
      } else {
        UpstreamBodies.closeQuietly(body);
      }
    }
  }

  /** The largest whole (not streamed) answer: a chat completion or embeddings (bytes). */
  @Inject
  @ConfigProperty(name = "llmchat.llm.max-answer-bytes", defaultValue = "33554432")
  int maxAnswerBytes;

  /**
   * Reads a whole (not streamed) answer, up to {@code llmchat.llm.max-answer-bytes}, and reports
   * what it says to the tracker (of embeddings: their usage only); returns it as the model server
   * sent it, or null when it broke off or was too large (the tracker has the failure).
   */
  public String readWhole(
      InputStream body,
      UpstreamCall kind,
      ReplyTracker tracker,
      StreamCancellation cancellation,
      Route route,
      CircuitBreakers.Call call) {
    cancellation.onCancel(() -> UpstreamBodies.abort(body));
    String answer;
    try {
      answer = UpstreamBodies.read(body, maxAnswerBytes, false);
    } catch (UpstreamLimitException e) {
      tooLarge(route, tracker, e);
      return null;
    } catch (IOException | RuntimeException e) {
      UpstreamBodies.abort(body);
      if (!cancellation.cancelled()) {
        brokeOff(route, call, tracker, e);
      }
      return null;
    }
    call.succeeded();
    if (kind == UpstreamCall.EMBEDDINGS) {
      StreamEvent.Usage usage = EmbeddingsAnswer.usage(answer);
      if (usage != null) {
        tracker.accept(usage);
      }
      return answer;
    }
    try {
      new ChatStreamParser(tracker::accept, maxEventChars).whole(answer);
    } catch (UpstreamLimitException e) {
      tooLarge(route, tracker, e);
      return null;
    }
    return answer;
  }

  /** The server answers, too much: not a sign of ill health; the rest is not read. */
  private void tooLarge(Route route, ReplyTracker tracker, UpstreamLimitException e) {
    meters.error(route, "too-large", false);
    tracker.fail(failures.failed(route, "upstream_too_large", "sent more than is accepted", e));
  }

  /** The answer broke off: counts against the provider's breaker. */
  private void brokeOff(Route route, CircuitBreakers.Call call, ReplyTracker tracker, Exception e) {
    call.failed();
    meters.error(route, "stream-broken", false);
    tracker.fail(failures.failed(route, UpstreamFailures.code(e), "broke off the answer", e));
  }
}
