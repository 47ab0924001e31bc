package com.llmchat.usage.control;

import com.llmchat.accounts.control.GroupsChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whom budgets and rate limits apply to at all — the accounts that have one of their own or through
 * a group, and the API keys that have one — so that a call no budget applies to costs no
 * reservation round trip. Only a way of skipping: the reservation statement still decides every
 * call that some budget may apply to, and a doubt (a copy from before a change) means asking it.
 *
 * <p>Read again after a budget or a group's members change on this server (after the transaction);
 * a copy also lives at most {@code llmchat.budget.cache-seconds} (10), the bound for a change made
 * elsewhere (another server of a cluster, the database by hand). 0 turns the copy off: every call
 * asks the database.
 */
@ApplicationScoped
public class BudgetHolders {

  /** SQL: the accounts a budget applies to, their own or through a group. */
  private static final String ACCOUNTS =
      """
      select account_id from budget where account_id is not null
      union
      select m.account_id from budget b join group_member m on m.group_id = b.group_id""";

  /** SQL: the API keys that have a budget. */
  private static final String KEYS = "select api_key_id from budget where api_key_id is not null";

  private record Known(long generation, long expiresNanos, Set<Long> accounts, Set<Long> keys) {}

  @PersistenceContext EntityManager em;

  @Inject
  @ConfigProperty(name = "llmchat.budget.cache-seconds", defaultValue = "10")
  int seconds;

  private final AtomicLong generation = new AtomicLong();
  private volatile Known known;

  /** Whether any budget may apply to a call of this account with this key (null: none). */
  public boolean mayApply(long accountId, Long keyId) {
    if (seconds <= 0) {
      return true;
    }
    long now = System.nanoTime();
    long current = generation.get();
    Known copy = known;
    if (copy == null || copy.generation() != current || now - copy.expiresNanos() >= 0) {
      copy =
          new Known(
              current,
              now + TimeUnit.SECONDS.toNanos(seconds),
              ids(em.createNativeQuery(ACCOUNTS).getResultList()),
              ids(em.createNativeQuery(KEYS).getResultList()));
      // a change that completed while this was read must not be hidden behind it
      if (generation.get() == current) {
        known = copy;
      }
    }
    return copy.accounts().contains(accountId) || keyId != null && copy.keys().contains(keyId);
  }

  private static Set<Long> ids(List<?> rows) {
    return rows.stream()
        .map(row -> ((Number) row).longValue())
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  void budgetsChanged(
      @Observes(during = TransactionPhase.AFTER_COMPLETION) BudgetsChanged changed) {
    forget();
  }

  void groupsChanged(@Observes(during = TransactionPhase.AFTER_COMPLETION) GroupsChanged changed) {
    forget();
  }

  private void forget() {
    generation.incrementAndGet();
    known = null;
  }
}
