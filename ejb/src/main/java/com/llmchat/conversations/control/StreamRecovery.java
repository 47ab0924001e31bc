package com.llmchat.conversations.control;

import com.llmchat.conversations.entity.Message;
import com.llmchat.conversations.entity.MessageStatus;
import com.llmchat.platform.control.Cluster;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.logging.Logger;

/**
 * At start, a server alone on its database finds the replies still marked streaming cut off by its
 * last stop: they become interrupted, with what they had. A server that joins a cluster leaves them
 * be: the others may be streaming them, and the lease sweep ({@link StreamLeases}) ends those whose
 * server stopped once their leases run out.
 */
@Startup
@Singleton
@DependsOn("SchemaMigrations")
public class StreamRecovery {

  private static final Logger LOG = Logger.getLogger(StreamRecovery.class.getName());

  @PersistenceContext EntityManager em;
  @Inject Cluster cluster;

  @PostConstruct
  void interruptAbandonedReplies() {
    List<String> servers = cluster.members();
    if (servers.size() > 1) {
      LOG.info(
          () ->
              "Joined "
                  + servers
                  + ": replies still streaming are left to their servers and to the lease sweep");
      return;
    }
    int abandoned =
        em.createNamedQuery(Message.ABANDON_STREAMING)
            .setParameter("interrupted", MessageStatus.INTERRUPTED)
            .setParameter("streaming", MessageStatus.STREAMING)
            .setParameter("why", "The server stopped while the reply was streaming")
            .setParameter("before", OffsetDateTime.now(ZoneOffset.UTC))
            .executeUpdate();
    if (abandoned > 0) {
      LOG.info(() -> abandoned + " replies cut off by the last stop are now marked interrupted");
    }
  }
}
