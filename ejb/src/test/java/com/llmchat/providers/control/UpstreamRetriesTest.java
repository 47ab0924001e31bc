package com.llmchat.providers.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UpstreamRetriesTest {

  private final UpstreamRetries retries = new UpstreamRetries();

  UpstreamRetriesTest() {
    retries.retries = 2;
    retries.backoffMs = 250;
  }

  @Test
  void backoffGrowsExponentiallyWithSomeJitter() {
    for (int attempt = 0; attempt < 3; attempt++) {
      long base = 250L << attempt;
      long wait = retries.wait(attempt, null).toMillis();
      assertTrue(wait >= base && wait <= base + base / 4, "attempt " + attempt + ": " + wait);
    }
  }

  @Test
  void retryAfterSecondsAreHonouredUpToFiveSeconds() {
    assertEquals(Duration.ofSeconds(2), retries.wait(0, "2"));
    assertEquals(Duration.ofSeconds(5), retries.wait(0, "3600"));
  }

  @Test
  void anHttpDateFallsBackToTheBackoff() {
    long wait = retries.wait(0, "Wed, 21 Oct 2015 07:28:00 GMT").toMillis();
    assertTrue(wait >= 250 && wait <= 313, String.valueOf(wait));
  }
}
