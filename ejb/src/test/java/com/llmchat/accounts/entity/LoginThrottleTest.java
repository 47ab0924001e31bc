package com.llmchat.accounts.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  private static final OffsetDateTime NOW =
      OffsetDateTime.of(2026, 12, 1, 9, 0, 0, 0, ZoneOffset.UTC);
  private static final Duration WINDOW = Duration.ofMinutes(15);

  @Test
  void aPairLocksAtTheLimitAndStartsAfreshAfterTheLock() {
    var pair = new LoginThrottle("account:admin@198.51.100.7", NOW);
    for (int i = 1; i < 5; i++) {
      assertFalse(pair.recordFailure(NOW, WINDOW, 5, Duration.ofMinutes(15)));
    }
    assertTrue(pair.recordFailure(NOW, WINDOW, 5, Duration.ofMinutes(15)), "the 5th locks");
    assertTrue(pair.isLocked(NOW.plusMinutes(14)));
    assertFalse(pair.isLocked(NOW.plusMinutes(15)));
    assertFalse(pair.recordFailure(NOW.plusMinutes(16), WINDOW, 5, Duration.ofMinutes(15)));
  }

  @Test
  void anAccountFromAnywhereIsOnlySpacedOutWithADoublingCappedDelay() {
    var account = new LoginThrottle("account:admin", NOW);
    for (int i = 1; i <= 10; i++) {
      account.recordFailureWithBackoff(
          NOW, WINDOW, 10, Duration.ofSeconds(1), Duration.ofSeconds(60));
    }
    assertNull(account.lockedUntil(), "the first ten failures cost no delay");
    long[] expected = {1, 2, 4, 8, 16, 32, 60, 60};
    for (long seconds : expected) {
      account.recordFailureWithBackoff(
          NOW, WINDOW, 10, Duration.ofSeconds(1), Duration.ofSeconds(60));
      assertEquals(NOW.plusSeconds(seconds), account.lockedUntil());
    }
    account.recordFailureWithBackoff(
        NOW.plus(WINDOW).plusSeconds(1), WINDOW, 10, Duration.ofSeconds(1), Duration.ofSeconds(60));
    assertNull(account.lockedUntil(), "a new window starts without a delay");
  }
}
