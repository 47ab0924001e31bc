package com.llmchat.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.llmchat.conversations.control.ReplyJournal;
import com.llmchat.providers.control.StreamCancellation;
import com.llmchat.providers.entity.StreamEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventsTest {

  /** Records each write as the client's socket would see it. */
  private static final class Writes extends OutputStream {
    final List<String> writes = new ArrayList<>();
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();

    @Override
    public void write(int b) {
      current.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      current.write(bytes, offset, length);
    }

    @Override
    public void flush() {
      writes.add(current.toString(StandardCharsets.UTF_8));
      current.reset();
    }
  }

  /** A client that has gone: every write fails. */
  private static final OutputStream BROKEN =
      new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          throw new IOException("Broken pipe");
        }
      };

  private final Writes client = new Writes();
  private final StreamCancellation cancellation = new StreamCancellation();
  private final SseEvents events = new SseEvents(client, cancellation);

  @Test
  void eventsAreFramedAsServerSentEventsWithEscapedJson() {
    events.event(new StreamEvent.Delta("Say \"hi\"\n\\ \u0001 \u2028 你好", null));
    events.event(new StreamEvent.ToolCallDelta(0, "call_1", "function", "get", "{\"a\":1}"));
    events.event(new StreamEvent.Usage(3, 2, 5, "{\"prompt_tokens\":3}"));
    events.event(new StreamEvent.Error("Broke", "upstream_failed", "not json"));
    events.flush();
    assertEquals(
        List.of(
            "event: delta\nid: 1\ndata: {\"content\":\"Say \\\"hi\\\"\\n\\\\ \\u0001 \\u2028 你好\","
                + "\"reasoning\":null}\n\n"
                + "event: tool_call\nid: 2\ndata: {\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                + "\"name\":\"get\",\"arguments\":\"{\\\"a\\\":1}\"}\n\n"
                + "event: usage\nid: 3\ndata: {\"promptTokens\":3,\"completionTokens\":2,"
                + "\"totalTokens\":5,\"upstream\":{\"prompt_tokens\":3}}\n\n"
                + "event: error\nid: 4\ndata: {\"message\":\"Broke\",\"code\":\"upstream_failed\","
                + "\"upstream\":\"not json\"}\n\n"),
        client.writes);
  }

  @Test
  void eventsWaitForTheFlushSoThatABurstLeavesInOneWrite() {
    events.event(new StreamEvent.Delta("a", null));
    events.event(new StreamEvent.Delta("b", null));
    assertTrue(client.writes.isEmpty(), "nothing written before the flush");
    events.flush();
    events.event(new StreamEvent.Delta("c", null));
    events.flush();
    assertEquals(2, client.writes.size());
  }

  @Test
  void aModelServerThatNeverPausesStillGetsItsBytesWrittenInBoundedPieces() {
    String piece = "x".repeat(1_000);
    for (int i = 0; i < 100; i++) {
      events.event(new StreamEvent.Delta(piece, null));
    }
    assertTrue(client.writes.size() >= 5, "written without a flush: " + client.writes.size());
    assertTrue(
        client.writes.stream().allMatch(write -> write.length() < SseEvents.FLUSH_AT + 2_000),
        "each write stays near the threshold");
  }

  @Test
  void aWriteThatFailsCancelsTheStream() {
    var broken = new SseEvents(BROKEN, cancellation);
    broken.event(new StreamEvent.Delta("a", null));
    assertFalse(broken.flush(), "the client is gone");
    assertTrue(cancellation.cancelled());
    assertFalse(broken.event(new StreamEvent.Delta("b", null)));
  }

  @Test
  void aJournaledStreamOutlivesItsClientUntilNobodyReadsItForTheResumeWindow() throws Exception {
    var journal = new ReplyJournal(1 << 20);
    var broken = new SseEvents(BROKEN, cancellation, journal);
    broken.event(new StreamEvent.Delta("a", null));
    assertTrue(broken.flush(), "the client went, the stream goes on into its journal");
    assertFalse(cancellation.cancelled());
    assertTrue(broken.event(new StreamEvent.Delta("b", null)));
    String kept = new String(journal.after(0, 0).frames(), StandardCharsets.UTF_8);
    assertEquals(
        "event: delta\nid: 1\ndata: {\"content\":\"a\",\"reasoning\":null}\n\n"
            + "event: delta\nid: 2\ndata: {\"content\":\"b\",\"reasoning\":null}\n\n",
        kept);
    long grace = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);
    broken.giveUpIfAbandoned(grace);
    assertFalse(cancellation.cancelled(), "read a moment ago");
    Thread.sleep(150);
    broken.giveUpIfAbandoned(grace);
    assertTrue(cancellation.cancelled());
    assertFalse(broken.event(new StreamEvent.Delta("c", null)));
    broken.close(null);
    assertTrue(journal.after(2, 0).ended(), "its end is journaled too");
  }
}
