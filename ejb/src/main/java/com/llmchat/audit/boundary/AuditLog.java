package com.llmchat.audit.boundary;

import com.llmchat.accounts.control.Callers;
import com.llmchat.audit.entity.AuditEvent;
import com.llmchat.audit.entity.AuditEvent.Outcome;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;

@Stateless
public class AuditLog {

  @PersistenceContext EntityManager em;
  @Inject Callers callers;

  /** Written in its own transaction: the event stays even when the audited action is undone. */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public void record(
      String actor, String action, String target, Outcome outcome, String clientIp, String detail) {
    em.persist(new AuditEvent(actor, action, target, outcome, clientIp, detail));
  }

  /** A page of events, newest first, and how many there are in all. */
  public record Page(List<AuditEvent> items, long total) {}

  /** Events from {@code first} on, newest first; {@code action} null or blank: all actions. */
  public Page page(String action, int first, int size) {
    callers.requireAdmin();
    boolean all = action == null || action.isBlank();
    var items =
        all
            ? em.createNamedQuery(AuditEvent.RECENT, AuditEvent.class)
            : em.createNamedQuery(AuditEvent.RECENT_OF_ACTION, AuditEvent.class)
                .setParameter("action", action.strip());
    var count =
        all
            ? em.createNamedQuery(AuditEvent.COUNT, Long.class)
            : em.createNamedQuery(AuditEvent.COUNT_OF_ACTION, Long.class)
                .setParameter("action", action.strip());
    return new Page(
        items
            .setFirstResult(Math.max(0, first))
            .setMaxResults(Math.max(1, Math.min(size, 200)))
            .getResultList(),
        count.getSingleResult());
  }

  public List<AuditEvent> recent(String action, int limit) {
    callers.requireAdmin();
    var query =
        action == null
            ? em.createNamedQuery(AuditEvent.RECENT, AuditEvent.class)
            : em.createNamedQuery(AuditEvent.RECENT_OF_ACTION, AuditEvent.class)
                .setParameter("action", action);
    return query.setMaxResults(Math.max(1, Math.min(limit, 500))).getResultList();
  }
}
