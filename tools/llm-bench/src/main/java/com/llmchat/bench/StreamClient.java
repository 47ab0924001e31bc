package com.llmchat.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * A streamed POST over a socket of its own, read the way the figures need: every read timestamped
 * when it returns (no HTTP library's buffering or threads between the wire and the clock), the
 * HTTP/1.1 body de-chunked and split into lines for a {@link DeltaCounter}. Blocking, one thread
 * per stream.
 */
final class StreamClient {

  private StreamClient() {}

  static Sample post(
      URI url, Map<String, String> headers, String json, DeltaCounter.Wire wire, Sample.Gaps gaps) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    var head = new StringBuilder();
    head.append("POST ").append(url.getRawPath()).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(url.getHost()).append(':').append(url.getPort()).append("\r\n");
    head.append("Content-Type: application/json\r\nAccept: text/event-stream\r\n");
    head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("\r\n");
    byte[] request = concat(head.toString().getBytes(StandardCharsets.US_ASCII), body);
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(120_000);
      socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 10_000);
      OutputStream out = socket.getOutputStream();
      long sent = System.nanoTime();
      var counter = new DeltaCounter(wire, sent, gaps);
      out.write(request);
      out.flush();
      var reader = new ResponseReader(counter);
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[16 * 1024];
      for (int n; !reader.done() && (n = in.read(buffer)) > 0; ) {
        reader.accept(buffer, n, System.nanoTime());
      }
      return reader.status() == 200 ? counter.sample() : Sample.failure();
    } catch (IOException e) {
      return Sample.failure();
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  /** Status line and headers, then the body (chunked, sized or to the end) as lines. */
  static final class ResponseReader {
    private enum State {
      HEADERS,
      CHUNK_SIZE,
      CHUNK_DATA,
      CHUNK_END,
      BODY,
      DONE
    }

    private final DeltaCounter counter;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private State state = State.HEADERS;
    private int status = -1;
    private long remaining = -1;

    ResponseReader(DeltaCounter counter) {
      this.counter = counter;
    }

    int status() {
      return status;
    }

    boolean done() {
      return state == State.DONE;
    }

    void accept(byte[] bytes, int length, long nowNanos) {
      for (int i = 0; i < length && state != State.DONE; i++) {
        byte b = bytes[i];
        switch (state) {
          case HEADERS -> header(b);
          case CHUNK_SIZE -> {
            if (b == '\n') {
              String size = pending.toString(StandardCharsets.US_ASCII).strip();
              pending.reset();
              int extension = size.indexOf(';');
              remaining = Long.parseLong(extension < 0 ? size : size.substring(0, extension), 16);
              state = remaining == 0 ? State.DONE : State.CHUNK_DATA;
            } else {
              pending.write(b);
            }
          }
          case CHUNK_DATA -> {
            body(b, nowNanos);
            if (--remaining == 0) {
              state = State.CHUNK_END;
            }
          }
          case CHUNK_END -> {
            if (b == '\n') {
              state = State.CHUNK_SIZE;
            }
          }
          case BODY -> {
            body(b, nowNanos);
            if (remaining > 0 && --remaining == 0) {
              state = State.DONE;
            }
          }
          default -> {}
        }
      }
    }

    private void header(byte b) {
      if (b != '\n') {
        pending.write(b);
        return;
      }
      String text = pending.toString(StandardCharsets.US_ASCII).strip();
      pending.reset();
      if (status < 0) {
        String[] parts = text.split(" ", 3);
        status = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      } else if (text.isEmpty()) {
        state = remaining == -2 ? State.CHUNK_SIZE : State.BODY;
        if (state == State.BODY && remaining == 0) {
          state = State.DONE;
        }
      } else {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          remaining = -2;
        } else if (lower.startsWith("content-length:") && remaining != -2) {
          remaining = Long.parseLong(text.substring(text.indexOf(':') + 1).strip());
        }
      }
    }

    private void body(byte b, long nowNanos) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        counter.line(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text, nowNanos);
      } else {
        line.write(b);
      }
    }
  }
}
