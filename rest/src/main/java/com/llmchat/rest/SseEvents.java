package com.llmchat.rest;

import com.llmchat.conversations.control.ReplyJournal;
import com.llmchat.json.JsonFactory;
import com.llmchat.providers.control.PendingBytes;
import com.llmchat.providers.control.StreamCancellation;
import com.llmchat.providers.entity.StreamEvent;
import com.llmchat.providers.entity.StreamListener;
import jakarta.json.JsonException;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes a reply's stream to one client as server-sent events ({@code message}, {@code delta},
 * {@code tool_call}, {@code usage}, {@code error}, {@code done}) with increasing ids. The per-token
 * path: an event is framed straight into bytes (one pass over its text, no object tree) and kept
 * until {@link #flush}, which the relay calls when the model server has nothing more buffered, so a
 * burst leaves in one write and a lone token at once. Events are framed by the stream's own thread
 * only; one lock (never {@code synchronized}, which would pin a virtual thread) keeps a heartbeat's
 * write apart from the stream's, and a heartbeat never waits for it. A write that fails means the
 * client has gone. Without a journal the stream is then cancelled; with one ({@link ReplyJournal},
 * a chat reply) every event is journaled as it is framed, and the stream goes on into the journal
 * alone until nobody has read it for the resume window ({@link #giveUpIfAbandoned}): the client may
 * be taking it up again from its last event id, on this server or another.
 */
final class SseEvents implements StreamListener {

  private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

  /** Pending bytes that are written without waiting for the upstream to pause. */
  static final int FLUSH_AT = 16 * 1024;

  private final OutputStream out;
  private final StreamCancellation cancellation;
  private final ReplyJournal journal;
  private final ReentrantLock lock = new ReentrantLock();
  private final StringBuilder frame = new StringBuilder(256);
  private final PendingBytes pending = new PendingBytes();
  private long nextId = 1;
  private volatile long lastWriteNanos = System.nanoTime();
  private volatile long heartbeatSinceNanos;
  private volatile boolean gone;
  private volatile long goneNanos;
  private volatile boolean abandoned;
  private String finishReason;
  private boolean upstreamDone;

  SseEvents(OutputStream out, StreamCancellation cancellation) {
    this(out, cancellation, null);
  }

  /** With {@code journal}: the stream outlives its client (see above). */
  SseEvents(OutputStream out, StreamCancellation cancellation, ReplyJournal journal) {
    this.out = out;
    this.cancellation = cancellation;
    this.journal = journal;
  }

  @Override
  public boolean event(StreamEvent event) {
    if (event instanceof StreamEvent.Delta delta) {
      frame("delta").append("{\"content\":");
      string(delta.content()).append(",\"reasoning\":");
      string(delta.reasoning()).append('}');
      return framed();
    }
    if (event instanceof StreamEvent.ToolCallDelta call) {
      frame("tool_call").append("{\"index\":").append(call.index()).append(",\"id\":");
      string(call.id()).append(",\"type\":");
      string(call.type()).append(",\"name\":");
      string(call.name()).append(",\"arguments\":");
      string(call.arguments()).append('}');
      return framed();
    }
    if (event instanceof StreamEvent.Usage usage) {
      frame("usage")
          .append("{\"promptTokens\":")
          .append(usage.promptTokens())
          .append(",\"completionTokens\":")
          .append(usage.completionTokens())
          .append(",\"totalTokens\":")
          .append(usage.totalTokens())
          .append(",\"upstream\":")
          // the parser printed it from a parsed object: JSON as it is
          .append(usage.json() == null ? "null" : usage.json())
          .append('}');
      return framed();
    }
    if (event instanceof StreamEvent.Error error) {
      frame("error").append("{\"message\":");
      string(error.message()).append(",\"code\":");
      string(error.code()).append(",\"upstream\":").append(upstreamJson(error.json()));
      if (error.resetsAt() != null) {
        frame.append(",\"resetsAt\":");
        string(error.resetsAt().toString());
      }
      frame.append('}');
      return framed();
    }
    if (event instanceof StreamEvent.Finish finish) {
      finishReason = finish.reason();
    }
    if (event instanceof StreamEvent.Done) {
      upstreamDone = true;
    }
    return listened();
  }

  /** Whether the stream is still wanted: read by its client, or journaled for one to come back. */
  private boolean listened() {
    return journal == null ? !gone : !abandoned;
  }

  /** Announces the stored question and the reply that is about to stream. */
  boolean message(MessageView question, MessageView reply) {
    frame("message")
        .append(
            JsonFactory.object()
                .add("question", question.json())
                .add("reply", reply.json())
                .build());
    return framed() && flush();
  }

  /** Ends the stream with {@code done}: how it finished and the reply as stored (if it was). */
  void close(MessageView stored) {
    JsonObjectBuilder done = JsonFactory.object().add("upstreamDone", upstreamDone);
    if (finishReason == null) {
      done.addNull("finishReason");
    } else {
      done.add("finishReason", finishReason);
    }
    if (stored != null) {
      done.add("status", stored.status()).add("reply", stored.json());
    }
    frame("done").append(done.build());
    framed();
    flush();
    if (journal != null) {
      journal.end();
    }
  }

  /**
   * A stream taken up again once its events were no longer kept: only its end, {@code done} with
   * the reply as stored (which has everything the missed events had).
   */
  static void storedOnly(OutputStream out, MessageView stored) throws IOException {
    String done =
        JsonFactory.object()
            .add("upstreamDone", JsonValue.NULL)
            .add(
                "finishReason",
                stored.finishReason() == null
                    ? JsonValue.NULL
                    : JsonFactory.string(stored.finishReason()))
            .add("status", stored.status())
            .add("reply", stored.json())
            .add("missed", true)
            .build()
            .toString();
    out.write(("event: done\ndata: " + done + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public boolean flush() {
    if (pending.length() > 0 && !gone && acquire()) {
      try {
        write(pending::writeTo);
      } finally {
        lock.unlock();
      }
    }
    pending.clear();
    return listened();
  }

  /**
   * The write lock, unless the client is found gone meanwhile: a heartbeat whose write failed can
   * hold it until this stream ends (see {@link #giveUpIfStuck}).
   */
  private boolean acquire() {
    try {
      while (!lock.tryLock(50, TimeUnit.MILLISECONDS)) {
        if (gone) {
          return false;
        }
      }
      if (gone) {
        lock.unlock();
        return false;
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      gone = true;
      return false;
    }
  }

  /**
   * A comment when nothing was written for {@code idleNanos}: keeps proxies from closing the
   * connection and finds out that the client has gone. Skipped while an event is being written.
   */
  void heartbeatIfIdle(long idleNanos) {
    if (!heartbeatDue(idleNanos) || !lock.tryLock()) {
      return;
    }
    heartbeatSinceNanos = System.nanoTime();
    try {
      write(out -> out.write(HEARTBEAT));
    } finally {
      heartbeatSinceNanos = 0;
      lock.unlock();
    }
  }

  /**
   * A heartbeat still being written after {@code stuckNanos} means the client is gone: when the
   * write to a closed connection fails, the container reports it to the suspended request, which
   * waits for this stream's thread — blocked reading a silent model server. Cancelling the stream
   * frees both.
   */
  void giveUpIfStuck(long stuckNanos) {
    long since = heartbeatSinceNanos;
    if (since != 0 && System.nanoTime() - since > stuckNanos && !gone) {
      left();
    }
  }

  /**
   * A journaled stream whose client went and whose journal nobody has read for {@code graceNanos}
   * since: nobody is coming back for it, and it is cancelled (what it had is kept as interrupted).
   */
  void giveUpIfAbandoned(long graceNanos) {
    if (gone && journal != null && !abandoned && journal.unreadFor(goneNanos, graceNanos)) {
      abandoned = true;
      cancellation.cancel();
    }
  }

  /** The client has gone: the stream is cancelled, unless it is journaled. */
  private void left() {
    goneNanos = System.nanoTime();
    gone = true;
    if (journal == null) {
      cancellation.cancel();
    }
  }

  /** Whether a heartbeat is due; looked at without the lock. */
  boolean heartbeatDue(long idleNanos) {
    return !gone && System.nanoTime() - lastWriteNanos >= idleNanos;
  }

  private StringBuilder frame(String name) {
    frame.setLength(0);
    return frame
        .append("event: ")
        .append(name)
        .append("\nid: ")
        .append(nextId++)
        .append("\ndata: ");
  }

  /** Appends the frame begun by {@link #frame} to what is pending (the stream's thread only). */
  private boolean framed() {
    if (gone && journal == null) {
      return false;
    }
    byte[] bytes = frame.append("\n\n").toString().getBytes(StandardCharsets.UTF_8);
    if (frame.capacity() > 64 * 1024) {
      // a huge event passed: do not keep its room for the rest of the stream
      frame.setLength(0);
      frame.trimToSize();
    }
    if (journal != null) {
      journal.append(bytes);
    }
    if (gone) {
      return listened();
    }
    pending.append(bytes);
    // a model server that never pauses: what is pending leaves anyway, and stays small
    return pending.length() < FLUSH_AT || flush();
  }

  /** Called with the lock held. */
  private interface Writing {
    void to(OutputStream out) throws IOException;
  }

  private void write(Writing writing) {
    try {
      writing.to(out);
      out.flush();
      lastWriteNanos = System.nanoTime();
    } catch (IOException | RuntimeException e) {
      left();
    }
  }

  /** A JSON string (or null) as JSON text, escaped as RFC 8259 requires. */
  private StringBuilder string(String value) {
    if (value == null) {
      return frame.append("null");
    }
    frame.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> frame.append("\\\"");
        case '\\' -> frame.append("\\\\");
        case '\n' -> frame.append("\\n");
        case '\r' -> frame.append("\\r");
        case '\t' -> frame.append("\\t");
        case '\u2028', '\u2029' -> frame.append(c == '\u2028' ? "\\u2028" : "\\u2029");
        default -> {
          if (c < 0x20) {
            frame.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            frame.append(c);
          }
        }
      }
    }
    return frame.append('"');
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** The upstream's error object as it sent it, if it is JSON (errors are rare: checked). */
  private static String upstreamJson(String json) {
    if (json == null) {
      return "null";
    }
    try {
      return JsonFactory.parse(json).toString();
    } catch (JsonException e) {
      return JsonFactory.string(json).toString();
    }
  }
}
