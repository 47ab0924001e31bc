package com.llmchat.conversations.control;

import com.llmchat.providers.control.StreamCancellation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The replies streaming on this server, by message id, so that a stop request can end one. */
@ApplicationScoped
public class ActiveStreams {

  private final Map<Long, StreamCancellation> streams = new ConcurrentHashMap<>();

  public void started(long replyId, StreamCancellation cancellation) {
    streams.put(replyId, cancellation);
  }

  public void ended(long replyId) {
    streams.remove(replyId);
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
