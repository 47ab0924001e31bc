package com.llmchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamClientTest {

  /** Chunks cut through the middle of lines, as a server's writes may. */
  private static final String CHUNKED =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
          + chunk("event: delta\ndata: {\"content")
          + chunk("\":\"Hi\"}\n\nevent")
          + chunk(": delta\ndata: {\"content\":\"!\"}\n\n")
          + "0\r\n\r\n";

  private static String chunk(String data) {
    return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length)
        + "\r\n"
        + data
        + "\r\n";
  }

  /** The response fed in pieces of every size: the same deltas, at the time of their piece. */
  @Test
  void chunksSplitAnywhereGiveTheSameDeltas() {
    byte[] bytes = CHUNKED.getBytes(StandardCharsets.US_ASCII);
    for (int piece = 1; piece <= bytes.length; piece++) {
      List<Long> gaps = new ArrayList<>();
      var counter = new DeltaCounter(DeltaCounter.Wire.RELAY, 0, gaps::add);
      var reader = new StreamClient.ResponseReader(counter);
      for (int at = 0; at < bytes.length; at += piece) {
        int length = Math.min(piece, bytes.length - at);
        byte[] part = new byte[length];
        System.arraycopy(bytes, at, part, 0, length);
        reader.accept(part, length, at + length);
      }
      assertEquals(200, reader.status());
      assertTrue(reader.done(), "piece " + piece);
      assertEquals(2, counter.sample().deltas(), "piece " + piece);
      assertEquals(1, gaps.size());
    }
  }

  @Test
  void aSizedBodyEndsAtItsLength() {
    String body = "data: {\"choices\":[{\"content\":\"a\"}]}\n\n";
    String response = "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    var counter = new DeltaCounter(DeltaCounter.Wire.OPENAI, 0, gap -> {});
    var reader = new StreamClient.ResponseReader(counter);
    byte[] bytes = response.getBytes(StandardCharsets.US_ASCII);
    reader.accept(bytes, bytes.length, 5);
    assertTrue(reader.done());
    assertEquals(1, counter.sample().deltas());
    assertEquals(5, counter.sample().firstContentNanos());
  }
}
