package com.llmchat.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The writers that run at every start (the first administrator, the preset model server, directory
 * and identity provider, the presets directory) take turns with those of the other servers of a
 * cluster starting at the same moment: one PostgreSQL advisory lock, held to the end of the
 * caller's transaction. Without it two servers created the same preset twice, or one failed to
 * deploy on the other's update of the same row.
 */
@ApplicationScoped
public class StartupTurn {

  /** The advisory lock's key ("LLMCstrt"). */
  private static final long LOCK = 0x4c4c4d4373747274L;

  @PersistenceContext EntityManager em;

  /** Waits for this server's turn; the turn ends with the caller's transaction. */
  public void take() {
    em.createNativeQuery("select count(*) from (select pg_advisory_xact_lock(" + LOCK + ")) locked")
        .getSingleResult();
  }
}
