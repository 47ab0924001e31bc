package com.llmchat.conversations.control;

import com.llmchat.platform.control.Cluster;
import java.io.Serializable;
import org.wildfly.clustering.server.dispatcher.Command;

/**
 * Asked of the server that streams a reply: its events after an id, waiting a little for the next
 * (a resumed stream on another server reads the live tail this way); null where it does not stream.
 */
public final class ReadReplyEvents
    implements Command<ReplyEvents, Cluster, RuntimeException>, Serializable {

  private static final long serialVersionUID = 1L;
  private final long replyId;
  private final long lastId;
  private final long waitNanos;

  public ReadReplyEvents(long replyId, long lastId, long waitNanos) {
    this.replyId = replyId;
    this.lastId = lastId;
    this.waitNanos = waitNanos;
  }

  @Override
  public ReplyEvents execute(Cluster cluster) {
    return cluster
        .bean(ReplyJournals.class)
        .local(replyId)
        .map(journal -> journal.after(lastId, waitNanos))
        .orElse(null);
  }

  @Override
  public String toString() {
    return "events of reply " + replyId + " after " + lastId;
  }
}
