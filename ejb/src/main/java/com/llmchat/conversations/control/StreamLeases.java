package com.llmchat.conversations.control;

import com.llmchat.conversations.entity.Message;
import com.llmchat.conversations.entity.MessageStatus;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.UserTransaction;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Leases of streaming replies: this server renews those it streams (or still has to store), and
 * ends those whose holder stopped renewing — its server died — as interrupted, so that their
 * conversations take messages again without waiting for a restart. Looks every third of a lease.
 */
@Startup
@Singleton
@DependsOn("SchemaMigrations")
@TransactionManagement(TransactionManagementType.BEAN)
public class StreamLeases {

  private static final Logger LOG = Logger.getLogger(StreamLeases.class.getName());
  private static final int IDS_PER_STATEMENT = 1_000;

  @PersistenceContext EntityManager em;
  @Inject ActiveStreams active;
  @Resource TimerService timers;
  @Resource UserTransaction transaction;

  @Inject
  @ConfigProperty(name = "llmchat.stream.lease-seconds", defaultValue = "60")
  long leaseSeconds;

  private boolean failing;

  @PostConstruct
  void start() {
    long every = Math.max(1_000, leaseSeconds * 1_000 / 3);
    timers.createIntervalTimer(every, every, new TimerConfig("stream-leases", false));
  }

  @Timeout
  void renewAndSweep() {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    List<Long> mine = active.held();
    try {
      transaction.begin();
      for (int from = 0; from < mine.size(); from += IDS_PER_STATEMENT) {
        // SQL, not JPQL: EclipseLink's bulk update raises the version, which would fail the
        // finish of a reply renewed while it is being stored; the ids are numbers of our own
        String ids =
            mine.subList(from, Math.min(mine.size(), from + IDS_PER_STATEMENT)).stream()
                .map(String::valueOf)
                .collect(Collectors.joining(","));
        em.createNativeQuery(
                "update message set lease_until = ?1 where status = 'STREAMING' and id in ("
                    + ids
                    + ")")
            .setParameter(1, now.plusSeconds(leaseSeconds))
            .executeUpdate();
      }
      int ended =
          em.createNamedQuery(Message.END_EXPIRED_LEASES)
              .setParameter("interrupted", MessageStatus.INTERRUPTED)
              .setParameter("why", "The server streaming the reply stopped")
              .setParameter("code", "server_gone")
              .setParameter("now", now)
              .setParameter("streaming", MessageStatus.STREAMING)
              // renewed just now, so never expired; excluded all the same
              .setParameter("mine", mine.isEmpty() ? List.of(-1L) : new ArrayList<>(mine))
              .executeUpdate();
      transaction.commit();
      if (ended > 0) {
        LOG.info(() -> ended + " replies of a server that stopped are now marked interrupted");
      }
      failing = false;
    } catch (Exception e) {
      try {
        transaction.rollback();
      } catch (Exception notStarted) {
        LOG.log(Level.FINE, "rollback", notStarted);
      }
      // the database is away (the streams say so too): once in the log, then quiet until back
      if (!failing) {
        LOG.log(Level.WARNING, "Stream leases cannot be renewed now: " + e);
      }
      failing = true;
    }
  }
}
