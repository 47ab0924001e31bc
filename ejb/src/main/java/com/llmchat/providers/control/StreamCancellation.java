package com.llmchat.providers.control;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets someone other than the reading thread end a stream: the client hung up (noticed by a
 * heartbeat while the model server is silent), or the user pressed stop. The reader registers how
 * to cut its upstream connection; cancelling runs it once.
 */
public final class StreamCancellation {

  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final AtomicReference<Runnable> action = new AtomicReference<>();

  /** What cancelling does; runs at once if the stream was cancelled already. */
  public void onCancel(Runnable cut) {
    action.set(cut);
    if (cancelled.get()) {
      runOnce();
    }
  }

  public void cancel() {
    if (cancelled.compareAndSet(false, true)) {
      runOnce();
    }
  }

  public boolean cancelled() {
    return cancelled.get();
  }

  private void runOnce() {
    Runnable cut = action.getAndSet(null);
    if (cut != null) {
      cut.run();
    }
  }
}
