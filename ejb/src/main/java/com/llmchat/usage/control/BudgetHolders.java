package com.llmchat.usage.control;

import com.llmchat.accounts.control.GroupsChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
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
  static final String ACCOUNTS =
      """
      select account_id from budget where account_id is not null
      union
      select m.account_id from budget b join group_member m on m.group_id = b.group_id""";

  /** SQL: the API keys that have a budget. */
  static final String KEYS = "select api_key_id from budget where api_key_id is not null";

  /** Whom budgets apply to: accounts and API keys. */
  public record Holders(Set<Long> accounts, Set<Long> keys) {}

  private record Known(long generation, long expiresNanos, Holders holders) {}

  @Inject
  @ConfigProperty(name = "llmchat.budget.cache-seconds", defaultValue = "10")
  int seconds;

  private final AtomicLong generation = new AtomicLong();
  private volatile Known known;

  /**
   * Whether any budget may apply to a call of this account with this key (null: none); {@code load}
   * reads {@link #ACCOUNTS} and {@link #KEYS} when the copy is missing or old.
   */
  public boolean mayApply(long accountId, Long keyId, Supplier<Holders> load) {
    if (seconds <= 0) {
      return true;
    }
    long now = System.nanoTime();
    long current = generation.get();
    Known copy = known;
    if (copy == null || copy.generation() != current || now - copy.expiresNanos() >= 0) {
      copy = new Known(current, now + TimeUnit.SECONDS.toNanos(seconds), load.get());
      // a change that completed while this was read must not be hidden behind it
      if (generation.get() == current) {
        known = copy;
      }
    }
    Holders holders = copy.holders();
    return holders.accounts().contains(accountId)
        || keyId != null && holders.keys().contains(keyId);
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
