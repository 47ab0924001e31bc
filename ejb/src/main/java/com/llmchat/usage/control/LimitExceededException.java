package com.llmchat.usage.control;

import com.llmchat.usage.entity.Budget;
import jakarta.ejb.ApplicationException;
import java.time.Instant;

/**
 * A call that one of its budgets or rate limits has no room for: nothing was reserved (the
 * reservation undid what it took). Says which kind of limit, whose, and when it resets.
 */
@ApplicationException(rollback = false)
public class LimitExceededException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Budget.Period period;
  private final transient Budget.Holder holder;
  private final Instant resetsAt;

  public LimitExceededException(Budget.Period period, Budget.Holder holder, Instant resetsAt) {
    super(describe(period, holder, resetsAt));
    this.period = period;
    this.holder = holder;
    this.resetsAt = resetsAt;
  }

  private static String describe(Budget.Period period, Budget.Holder holder, Instant resetsAt) {
    String whose =
        switch (holder) {
          case ACCOUNT -> "your";
          case GROUP -> "your group's";
          case KEY -> "this API key's";
        };
    if (period.isRateLimit()) {
      return "Too many requests: " + whose + " rate limit is reached until " + resetsAt;
    }
    String budget = whose + (period == Budget.Period.DAY ? " daily" : " monthly") + " budget";
    return Character.toUpperCase(budget.charAt(0))
        + budget.substring(1)
        + " is used up until "
        + resetsAt;
  }

  /** A rate limit (per minute) rather than a budget (per day or month). */
  public boolean rateLimited() {
    return period.isRateLimit();
  }

  public Budget.Holder holder() {
    return holder;
  }

  public Instant resetsAt() {
    return resetsAt;
  }

  /** Whole seconds until the limit resets, at least 1 (for Retry-After). */
  public long retryAfterSeconds() {
    return Math.max(1, (resetsAt.toEpochMilli() - System.currentTimeMillis() + 999) / 1000);
  }
}
