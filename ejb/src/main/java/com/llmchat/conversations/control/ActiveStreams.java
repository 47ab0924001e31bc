package com.llmchat.conversations.control;

import com.llmchat.providers.control.StreamCancellation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replies streaming on this server, by message id, so that a stop request can end one; and
 * those it streamed and still has to store (the database was away), whose leases it keeps too.
 */
@ApplicationScoped
public class ActiveStreams {

  private final Map<Long, StreamCancellation> streams = new ConcurrentHashMap<>();
  private final Set<Long> toStore = ConcurrentHashMap.newKeySet();

  public void started(long replyId, StreamCancellation cancellation) {
    streams.put(replyId, cancellation);
  }

  public void ended(long replyId) {
    streams.remove(replyId);
  }

  /** The reply ended but is not stored yet: this server still holds it. */
  public void storing(long replyId) {
    toStore.add(replyId);
  }

  public void stored(long replyId) {
    toStore.remove(replyId);
  }

  /** The replies this server holds: streaming or still to be stored. */
  public List<Long> held() {
    List<Long> held = new ArrayList<>(streams.keySet());
    held.addAll(toStore);
    return held;
  }

  /** Cancels the reply's stream; false when it does not stream here. */
  public boolean cancel(long replyId) {
    StreamCancellation cancellation = streams.get(replyId);
    if (cancellation == null) {
      return false;
    }
    cancellation.cancel();
    return true;
  }
}
