package com.llmchat.providers.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamLinesTest {

  private static final String BODY =
      "data: {\"content\":\"你好 ä\"}\n\r\n: keep-alive\r\rdata: [DONE]\r\nlast without end";

  private static final List<String> LINES =
      List.of(
          "data: {\"content\":\"你好 ä\"}",
          "",
          ": keep-alive",
          "",
          "data: [DONE]",
          "last without end");

  /** What the model server's bytes look like as they arrive: in pieces of any size. */
  private static InputStream inPieces(byte[] bytes, int size) {
    return new InputStream() {
      private int position;

      @Override
      public int read() {
        return position < bytes.length ? bytes[position++] & 0xff : -1;
      }

      @Override
      public int read(byte[] into, int offset, int length) {
        if (position == bytes.length) {
          return -1;
        }
        int count = Math.min(Math.min(length, size), bytes.length - position);
        System.arraycopy(bytes, position, into, offset, count);
        position += count;
        return count;
      }
    };
  }

  private static List<String> all(UpstreamLines lines) throws IOException {
    List<String> read = new ArrayList<>();
    for (String line = lines.next(); line != null; line = lines.next()) {
      read.add(line);
    }
    return read;
  }

  @Test
  void linesEndAtLfCrLfOrCrWhateverPiecesTheBytesComeIn() throws IOException {
    byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
    for (int size = 1; size <= bytes.length; size++) {
      assertEquals(LINES, all(new UpstreamLines(inPieces(bytes, size), 1024)), "pieces of " + size);
    }
  }

  @Test
  void aLineIsHandedOnWithoutWaitingForMoreBytes() throws IOException {
    byte[] first = "data: one\n".getBytes(StandardCharsets.UTF_8);
    // a stream whose second read would block forever: the first line must come before it
    InputStream stalls =
        new InputStream() {
          private boolean served;

          @Override
          public int read() {
            throw new AssertionError("read a byte at a time");
          }

          @Override
          public int read(byte[] into, int offset, int length) {
            if (served) {
              throw new AssertionError("waited for more bytes before handing on the line");
            }
            served = true;
            System.arraycopy(first, 0, into, offset, first.length);
            return first.length;
          }
        };
    assertEquals("data: one", new UpstreamLines(stalls, 1024).next());
  }

  @Test
  void aLineLongerThanTheLimitEndsTheBody() throws IOException {
    byte[] bytes = ("data: short\n" + "x".repeat(5_000) + "\n").getBytes(StandardCharsets.UTF_8);
    var lines = new UpstreamLines(inPieces(bytes, 700), 4_096);
    assertEquals("data: short", lines.next());
    assertThrows(UpstreamLimitException.class, lines::next);
  }

  @Test
  void aLineOfExactlyTheLimitIsRead() throws IOException {
    String line = "y".repeat(4_096);
    var lines = new UpstreamLines(new ByteArrayInputStream((line + "\n").getBytes()), 4_096);
    assertEquals(line, lines.next());
  }

  /** After a CRLF line whose LF came in the same read, nothing is left: the relay flushes. */
  @Test
  void nothingSeemsBufferedAfterTheLastLineOfARead() throws IOException {
    byte[] bytes = "data: a\r\n\r\n".getBytes(StandardCharsets.UTF_8);
    var lines = new UpstreamLines(inPieces(bytes, bytes.length), 1024);
    assertEquals("data: a", lines.next());
    assertEquals(true, lines.buffered(), "the blank line is still to come");
    assertEquals("", lines.next());
    assertEquals(false, lines.buffered());
  }
}
