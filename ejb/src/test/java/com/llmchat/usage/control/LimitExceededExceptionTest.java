package com.llmchat.usage.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.llmchat.usage.entity.Budget;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LimitExceededExceptionTest {

  private static final Instant RESET = Instant.parse("2026-12-06T00:00:00Z");

  @Test
  void aBudgetRefusalSaysWhoseBudgetInASentence() {
    assertEquals(
        "Your daily budget is used up until 2026-12-06T00:00:00Z",
        new LimitExceededException(Budget.Period.DAY, Budget.Holder.ACCOUNT, RESET).getMessage());
    assertEquals(
        "Your group's monthly budget is used up until 2026-12-06T00:00:00Z",
        new LimitExceededException(Budget.Period.MONTH, Budget.Holder.GROUP, RESET).getMessage());
    assertEquals(
        "This API key's daily budget is used up until 2026-12-06T00:00:00Z",
        new LimitExceededException(Budget.Period.DAY, Budget.Holder.KEY, RESET).getMessage());
  }

  @Test
  void aRateLimitRefusalSaysWhoseLimit() {
    var refused = new LimitExceededException(Budget.Period.MINUTE, Budget.Holder.KEY, RESET);
    assertEquals(
        "Too many requests: this API key's rate limit is reached until 2026-12-06T00:00:00Z",
        refused.getMessage());
  }
}
