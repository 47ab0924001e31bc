package com.llmchat.providers.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a model server's body into lines on its bytes (LF, CRLF or CR), handing each on as soon as
 * its end has arrived; never waits for more than the read that completes a line. Cost per line: one
 * copy of its bytes and one UTF-8 decode. A line longer than the limit ends the body with {@link
 * UpstreamLimitException}, so a server cannot make us hold an endless line.
 */
public final class UpstreamLines {

  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] buffer = new byte[4096];
  private int position;
  private int end;
  private byte[] line = new byte[256];
  private int length;
  private boolean skipLineFeed;
  private long readNanos;

  public UpstreamLines(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** The next line without its terminator, or null at the end of the body. */
  public String next() throws IOException {
    length = 0;
    boolean started = false;
    while (true) {
      if (position == end) {
        int read = in.read(buffer);
        if (read < 0) {
          return started ? take() : null;
        }
        position = 0;
        end = read;
        readNanos = System.nanoTime();
        continue;
      }
      if (skipLineFeed) {
        skipLineFeed = false;
        if (buffer[position] == '\n') {
          position++;
          continue;
        }
      }
      started = true;
      int start = position;
      while (position < end) {
        byte b = buffer[position];
        if (b == '\n' || b == '\r') {
          append(start, position);
          position++;
          if (b == '\r') {
            // CRLF: the LF now if it is here, so that nothing seems buffered when nothing is
            if (position < end) {
              position += buffer[position] == '\n' ? 1 : 0;
            } else {
              skipLineFeed = true;
            }
          }
          return take();
        }
        position++;
      }
      append(start, position);
    }
  }

  /** When the last read returned ({@link System#nanoTime}). */
  public long readNanos() {
    return readNanos;
  }

  /**
   * Whether bytes that arrived are still unread, here or in the stream below: the next line may be
   * here already, and reading it will not wait.
   */
  public boolean buffered() {
    try {
      return position < end || in.available() > 0;
    } catch (IOException e) {
      return false;
    }
  }

  private void append(int from, int to) {
    int count = to - from;
    if (count == 0) {
      return;
    }
    if (length + count > maxLineBytes) {
      throw new UpstreamLimitException("a line of the model server's stream", maxLineBytes);
    }
    if (length + count > line.length) {
      byte[] larger = new byte[Math.min(maxLineBytes, Math.max(line.length * 2, length + count))];
      System.arraycopy(line, 0, larger, 0, length);
      line = larger;
    }
    System.arraycopy(buffer, from, line, length, count);
    length += count;
  }

  private String take() {
    return new String(line, 0, length, StandardCharsets.UTF_8);
  }
}
