package com.llmchat.usage.control;

import com.llmchat.platform.control.Meters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The budgets' meters: calls refused by kind ({@code llmchat.limits.refused}: {@code
 * quota_exceeded}, {@code rate_limited}); per group budget, the share of its current period used
 * ({@code llmchat.budget.utilisation}, 0 to 1, refreshed once a minute); the reservation statements
 * run and the claims they decided ({@code llmchat.budget.reservation.statements}, {@code
 * llmchat.budget.reservation.claims}: under load, more claims than statements), the claims waiting
 * for one now ({@code llmchat.budget.reservation.waiting}), how long a call waits for its
 * reservation before the model is asked ({@code llmchat.budget.reservation}, a timer: the queue and
 * the statement), and how long a statement takes, from taking a pooled connection to its last row
 * ({@code llmchat.budget.reservation.statement}): the difference is the queue.
 */
@ApplicationScoped
public class BudgetMeters {

  private static final String RESERVATION = "llmchat.budget.reservation";

  private static final String STATEMENT = "llmchat.budget.reservation.statement";

  @Inject Meters meters;

  /** What the waiting claims' gauge reads (held here: the registry keeps only a weak one). */
  private final Waiting waiting = new Waiting();

  /** Per group budget: what its gauge reads (held here: the registry keeps only a weak one). */
  private final Map<Long, ShareOf> utilisation = new ConcurrentHashMap<>();

  /** Both kinds at 0, so that a fresh installation exports them. */
  public void start() {
    refused(false, 0);
    refused(true, 0);
    reserving(0);
    meters.gauge("llmchat.budget.reservation.waiting", waiting);
    meters.timer(RESERVATION);
    meters.timer(STATEMENT);
  }

  /** A call's reservation took this long (queued, then decided), in nanoseconds. */
  public void reserved(long nanos) {
    meters.timer(RESERVATION).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A reservation statement took this long, in nanoseconds. */
  public void statement(long nanos) {
    meters.timer(STATEMENT).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A reservation statement for this many claims (0: only makes the counters known). */
  public void reserving(int claims) {
    meters.counter("llmchat.budget.reservation.statements").increment(claims > 0 ? 1 : 0);
    meters.counter("llmchat.budget.reservation.claims").increment(claims);
  }

  public void refused(boolean rateLimited) {
    refused(rateLimited, 1);
  }

  private void refused(boolean rateLimited, int calls) {
    meters
        .counter("llmchat.limits.refused", "kind", rateLimited ? "rate_limited" : "quota_exceeded")
        .increment(calls);
  }

  /** The share used of a group's budget now; a budget seen for the first time gets its gauge. */
  public void groupUtilisation(long budgetId, String group, String period, double share) {
    ShareOf value =
        utilisation.computeIfAbsent(
            budgetId,
            id -> {
              ShareOf made = new ShareOf();
              meters.gauge(
                  "llmchat.budget.utilisation",
                  made,
                  "group",
                  group,
                  "period",
                  period.toLowerCase(Locale.ROOT));
              return made;
            });
    value.millionths.set(Math.round(share * 1_000_000));
  }

  /** A gauge's number, read when scraped. */
  private abstract static class Reading extends Number {
    private static final long serialVersionUID = 1L;

    @Override
    public long longValue() {
      return (long) doubleValue();
    }

    @Override
    public int intValue() {
      return (int) doubleValue();
    }

    @Override
    public float floatValue() {
      return (float) doubleValue();
    }
  }

  /** The claims waiting for a reservation statement. */
  private static final class Waiting extends Reading {
    private static final long serialVersionUID = 1L;

    @Override
    public double doubleValue() {
      return Reservations.waiting();
    }
  }

  /** Millionths as a share. */
  private static final class ShareOf extends Reading {
    private static final long serialVersionUID = 1L;
    private final transient AtomicLong millionths = new AtomicLong();

    @Override
    public double doubleValue() {
      return millionths.get() / 1_000_000.0;
    }
  }
}
