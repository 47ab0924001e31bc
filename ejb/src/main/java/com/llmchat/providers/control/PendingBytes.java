package com.llmchat.providers.control;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The bytes of a stream to a client that wait for the next write: appended as events are framed,
 * written together when the model server pauses. Grows as a burst needs and gives the room back
 * after a huge one. One thread's: no lock.
 */
public final class PendingBytes {

  private static final int INITIAL = 512;
  private static final int KEPT = 64 * 1024;

  private byte[] bytes = new byte[INITIAL];
  private int length;

  public void append(byte[] more) {
    if (length + more.length > bytes.length) {
      byte[] larger = new byte[Math.max(bytes.length * 2, length + more.length)];
      System.arraycopy(bytes, 0, larger, 0, length);
      bytes = larger;
    }
    System.arraycopy(more, 0, bytes, length, more.length);
    length += more.length;
  }

  public int length() {
    return length;
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes, 0, length);
  }

  /** Forgets what was pending (written or not to be written). */
  public void clear() {
    length = 0;
    if (bytes.length > KEPT) {
      // a huge burst passed: do not keep its room for the rest of the stream
      bytes = new byte[INITIAL];
    }
  }
}
