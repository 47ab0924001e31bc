package com.llmchat.platform.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.concurrent.Semaphore;

/**
 * The writers that run at every start (the first administrator, the preset model server, directory
 * and identity provider, the presets directory, the installation's identity) take turns with those
 * of the other servers of a cluster starting at the same moment: one PostgreSQL advisory lock, held
 * to the end of the caller's transaction. Without it two servers created the same preset twice, or
 * one failed to deploy on the other's update of the same row.
 *
 * <p>Within a server they take turns first without a connection: a writer waiting in PostgreSQL
 * holds one of the pool's connections, and six of them waiting at once took a whole small pool (the
 * test run's has five), so that the writer holding the turn, and the other beans starting, found
 * none and the deployment failed.
 */
@ApplicationScoped
public class StartupTurn {

  /** The advisory lock's key ("LLMCstrt"). */
  private static final long LOCK = 0x4c4c4d4373747274L;

  @PersistenceContext EntityManager em;
  @Resource TransactionSynchronizationRegistry transactions;

  /** This server's turn: taken by one transaction at a time, given back when it ends. */
  private final Semaphore here = new Semaphore(1, true);

  /** Waits for this server's turn; the turn ends with the caller's transaction. */
  public void take() {
    if (transactions.getResource(StartupTurn.class) != null) {
      // taken already in this transaction
      return;
    }
    here.acquireUninterruptibly();
    try {
      transactions.putResource(StartupTurn.class, Boolean.TRUE);
      transactions.registerInterposedSynchronization(
          new Synchronization() {
            @Override
            public void beforeCompletion() {
              // nothing: the turn lasts to the end
            }

            @Override
            public void afterCompletion(int status) {
              here.release();
            }
          });
    } catch (RuntimeException notInATransaction) {
      here.release();
      throw notInATransaction;
    }
    em.createNativeQuery("select count(*) from (select pg_advisory_xact_lock(" + LOCK + ")) locked")
        .getSingleResult();
  }
}
