package com.llmchat.conversations.control;

import com.llmchat.conversations.entity.Message;
import com.llmchat.conversations.entity.MessageStatus;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.logging.Logger;

/**
 * At start, replies still marked streaming were cut off when the server stopped: they become
 * interrupted, with what they had (one server per database; see docs/architecture.md).
 */
@Startup
@Singleton
@DependsOn("SchemaMigrations")
public class StreamRecovery {

  private static final Logger LOG = Logger.getLogger(StreamRecovery.class.getName());

  @PersistenceContext EntityManager em;

  @PostConstruct
  void interruptAbandonedReplies() {
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
