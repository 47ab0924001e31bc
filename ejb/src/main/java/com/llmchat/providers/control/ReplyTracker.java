package com.llmchat.providers.control;

import com.llmchat.providers.entity.CompletionResult;
import com.llmchat.providers.entity.CompletionResult.Outcome;
import com.llmchat.providers.entity.Route;
import com.llmchat.providers.entity.StreamEvent;
import com.llmchat.providers.entity.StreamListener;

/**
 * Follows one reply across the routes tried: assembles its events, caps its size, times its first
 * token, and passes each event on until the listener is gone. Per event: a type test, a length sum
 * and the listener's call; no lock (one thread reads the stream).
 */
public final class ReplyTracker {

  private final StreamListener listener;
  private final CompletionAssembly assembly = new CompletionAssembly();
  private final RelayMeters meters;
  private final long maxReplyChars;
  private final long started;
  private long firstToken = -1;
  private boolean failed;
  private boolean listenerGone;
  private Route route;
  private long replyChars;

  public ReplyTracker(
      StreamListener listener, RelayMeters meters, long maxReplyChars, long started) {
    this.listener = listener;
    this.meters = meters;
    this.maxReplyChars = maxReplyChars;
    this.started = started;
  }

  /** The route that answers: the one whose reply is being read. */
  public void answeredBy(Route answering) {
    this.route = answering;
  }

  public void accept(StreamEvent event) {
    long added =
        event instanceof StreamEvent.Delta delta
            ? length(delta.content()) + length(delta.reasoning())
            : event instanceof StreamEvent.ToolCallDelta call ? length(call.arguments()) : 0;
    if (added > 0 && (replyChars += added) > maxReplyChars) {
      throw new UpstreamLimitException("the reply", maxReplyChars);
    }
    assembly.accept(event);
    if (listenerGone) {
      return;
    }
    if (firstToken < 0 && event instanceof StreamEvent.Delta) {
      firstToken = System.nanoTime() - started;
      meters.firstToken(firstToken);
    }
    failed |= event instanceof StreamEvent.Error;
    listenerGone = !listener.event(event);
  }

  /** A line of the stream as it came, before its events. */
  public void line(String line) {
    if (!listenerGone) {
      listenerGone = !listener.line(line);
    }
  }

  /** The relay's own failure (not an error the model server reported): the reply ends failed. */
  public void fail(StreamEvent.Error error) {
    assembly.accept(error);
    failed = true;
    if (!listenerGone) {
      listenerGone = !listener.failed(error);
    }
  }

  /** Has the listener pass on what it holds (nothing more has arrived). */
  public void flush() {
    if (!listenerGone) {
      listenerGone = !listener.flush();
    }
  }

  /** Nobody listens any more: the rest of the answer is not wanted. */
  public boolean listenerGone() {
    return listenerGone;
  }

  public void abandon() {
    listenerGone = true;
  }

  public CompletionResult result(StreamCancellation cancellation) {
    Outcome outcome =
        listenerGone || cancellation.cancelled()
            ? Outcome.CANCELLED
            : failed ? Outcome.FAILED : Outcome.COMPLETED;
    meters.outcome(outcome);
    return new CompletionResult(outcome, assembly, route, firstToken, System.nanoTime() - started);
  }

  private static long length(String text) {
    return text == null ? 0 : text.length();
  }
}
