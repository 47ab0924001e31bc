package com.llmchat.usage.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.llmchat.usage.entity.Budget;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetShareTest {

  private static BudgetPeriods.Counts counts(long used, long reserved, long requests) {
    return new BudgetPeriods.Counts(Instant.EPOCH, Instant.EPOCH, used, reserved, requests);
  }

  @Test
  void theShareIsTheLargerOfTokensHeldOrUsedAndRequests() {
    var budget = new Budget(Budget.Holder.GROUP, 1, Budget.Period.MONTH, 1000L, 10L);
    assertEquals(0.5, GroupBudgets.share(budget, counts(300, 200, 1)), 1e-9);
    assertEquals(0.9, GroupBudgets.share(budget, counts(0, 0, 9)), 1e-9);
  }

  @Test
  void anUnlimitedSideCountsNothingAZeroLimitIsFullAndNothingExceedsOne() {
    var tokensOnly = new Budget(Budget.Holder.KEY, 1, Budget.Period.DAY, 100L, null);
    assertEquals(0.25, GroupBudgets.share(tokensOnly, counts(25, 0, 1000)), 1e-9);
    var none = new Budget(Budget.Holder.ACCOUNT, 1, Budget.Period.DAY, 0L, null);
    assertEquals(1, GroupBudgets.share(none, counts(0, 0, 0)), 1e-9);
    assertEquals(1, GroupBudgets.share(tokensOnly, counts(500, 0, 0)), 1e-9);
  }

  @Test
  void aBudgetLimitsSomethingAndNothingNegative() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Budget(Budget.Holder.GROUP, 1, Budget.Period.DAY, null, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Budget(Budget.Holder.GROUP, 1, Budget.Period.DAY, -1L, null));
  }

  @Test
  void aRefusalSaysWhoseLimitAndRetryAfterIsAtLeastASecond() {
    var past = new LimitExceededException(Budget.Period.MINUTE, Budget.Holder.KEY, Instant.EPOCH);
    assertTrue(past.rateLimited());
    assertEquals(1, past.retryAfterSeconds());
    assertTrue(past.getMessage().contains("this API key's rate limit"), past.getMessage());
    var month =
        new LimitExceededException(
            Budget.Period.MONTH, Budget.Holder.GROUP, Instant.now().plusSeconds(90));
    assertTrue(month.getMessage().startsWith("Your group's monthly budget"), month.getMessage());
    assertTrue(month.retryAfterSeconds() >= 89 && month.retryAfterSeconds() <= 91);
  }
}
