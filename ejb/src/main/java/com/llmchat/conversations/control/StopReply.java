package com.llmchat.conversations.control;

import com.llmchat.platform.control.Cluster;
import java.io.Serializable;
import org.wildfly.clustering.server.dispatcher.Command;

/**
 * Asked of the other servers of a cluster: whether the reply streams there, and if so to stop it.
 */
public final class StopReply implements Command<Boolean, Cluster, RuntimeException>, Serializable {

  private static final long serialVersionUID = 1L;
  private final long replyId;

  public StopReply(long replyId) {
    this.replyId = replyId;
  }

  @Override
  public Boolean execute(Cluster cluster) {
    return cluster.bean(ActiveStreams.class).cancel(replyId);
  }

  @Override
  public String toString() {
    return "stop reply " + replyId;
  }
}
