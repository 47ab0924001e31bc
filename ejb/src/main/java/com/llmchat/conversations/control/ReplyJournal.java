package com.llmchat.conversations.control;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The events of one reply's stream as they were sent (framed, with their ids 1, 2, …), kept so that
 * a client whose connection broke can take the stream up again after the last event it read: while
 * the reply streams and for a while after. Bounded in bytes: past the bound the oldest events go.
 * Appended by the stream's thread; read by any number of resumed streams, here or (through {@link
 * ReadReplyEvents}) on another server. One lock, never {@code synchronized}, which would pin a
 * virtual thread.
 */
public final class ReplyJournal {

  private final long maxBytes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition appended = lock.newCondition();
  private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
  private long firstId = 1;
  private long bytes;
  private boolean ended;
  private int waiting;
  private volatile long readNanos;

  public ReplyJournal(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The next event of the stream, framed; its id is the one after the last appended. */
  public void append(byte[] frame) {
    lock.lock();
    try {
      frames.addLast(frame);
      bytes += frame.length;
      while (bytes > maxBytes && frames.size() > 1) {
        bytes -= frames.removeFirst().length;
        firstId++;
      }
      if (waiting > 0) {
        appended.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The stream has sent its last event. */
  public void end() {
    lock.lock();
    try {
      ended = true;
      appended.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The events after {@code lastId}, waiting up to {@code waitNanos} for one when there is none yet
   * (and the stream goes on).
   */
  public ReplyEvents after(long lastId, long waitNanos) {
    lock.lock();
    try {
      long deadline = System.nanoTime() + waitNanos;
      waiting++;
      try {
        long left = waitNanos;
        while (!ended && lastIdKept() <= lastId && left > 0) {
          left = appended.awaitNanos(left);
          left = Math.min(left, deadline - System.nanoTime());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        waiting--;
      }
      readNanos = System.nanoTime();
      if (lastId + 1 < firstId) {
        return ReplyEvents.missed(lastIdKept());
      }
      int skip = (int) Math.max(0, lastId + 1 - firstId);
      int size = 0;
      int index = 0;
      for (byte[] frame : frames) {
        if (index++ >= skip) {
          size += frame.length;
        }
      }
      byte[] out = new byte[size];
      int at = 0;
      index = 0;
      for (byte[] frame : frames) {
        if (index++ >= skip) {
          System.arraycopy(frame, 0, out, at, frame.length);
          at += frame.length;
        }
      }
      return new ReplyEvents(out, Math.max(lastId, lastIdKept()), ended, false);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether nobody has read this journal for {@code graceNanos} since {@code sinceNanos} (when the
   * stream's own client went) and nobody waits on it now: the reply is abandoned.
   */
  public boolean unreadFor(long sinceNanos, long graceNanos) {
    if (lock.tryLock()) {
      try {
        if (waiting > 0) {
          return false;
        }
      } finally {
        lock.unlock();
      }
    } else {
      return false;
    }
    long read = readNanos;
    long from = read != 0 && read - sinceNanos > 0 ? read : sinceNanos;
    return System.nanoTime() - from > graceNanos;
  }

  private long nextId() {
    return firstId + frames.size();
  }

  private long lastIdKept() {
    return nextId() - 1;
  }
}
