package com.llmchat.providers.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakersTest {

  private long now = 1_000;
  private final CircuitBreakers breakers = new CircuitBreakers();

  CircuitBreakersTest() {
    breakers.failureThreshold = 3;
    breakers.openSeconds = 30;
    breakers.clock = () -> now;
  }

  private boolean allows(long provider) {
    CircuitBreakers.Call call = breakers.attempt(provider);
    if (call == null) {
      return false;
    }
    trial = call;
    return true;
  }

  private CircuitBreakers.Call trial;

  private void failed(long provider) {
    try (var call = breakers.attempt(provider)) {
      assertNotNull(call, "a call may go out");
      call.failed();
    }
  }

  private void succeeded(long provider) {
    try (var call = breakers.attempt(provider)) {
      call.succeeded();
    }
  }

  @Test
  void opensAfterTheThresholdOfConsecutiveFailures() {
    failed(1);
    failed(1);
    assertTrue(allows(1));
    trial.close();
    failed(1);
    assertFalse(allows(1));
    assertTrue(allows(2), "other providers are not affected");
  }

  @Test
  void aSuccessResetsTheCount() {
    failed(1);
    failed(1);
    succeeded(1);
    failed(1);
    failed(1);
    assertTrue(allows(1));
  }

  @Test
  void afterTheOpenPeriodOneTrialDecides() {
    for (int i = 0; i < 3; i++) {
      failed(1);
    }
    now += Duration.ofSeconds(31).toNanos();
    assertTrue(allows(1), "the trial call");
    CircuitBreakers.Call first = trial;
    assertFalse(allows(1), "only one trial at a time");
    first.failed();
    assertFalse(allows(1), "a failed trial opens it again at once");
    now += Duration.ofSeconds(31).toNanos();
    assertTrue(allows(1));
    trial.succeeded();
    assertTrue(allows(1));
    assertTrue(allows(1), "closed again");
  }

  /** Before, a trial cancelled or refused before it went out kept the provider paused for good. */
  @Test
  void aTrialThatEndsWithoutAnOutcomeLetsTheNextCallTry() {
    for (int i = 0; i < 3; i++) {
      failed(1);
    }
    now += Duration.ofSeconds(31).toNanos();
    try (var cancelled = breakers.attempt(1)) {
      assertNotNull(cancelled, "the trial call");
      assertNull(breakers.attempt(1), "only one trial at a time");
    }
    try (var next = breakers.attempt(1)) {
      assertNotNull(next, "the trial ended undecided: the next call is the trial");
      next.failed();
      next.succeeded();
    }
    assertNull(breakers.attempt(1), "the first outcome counts: the failed trial opened it again");
  }

  @Test
  void healthTellsTheBreakerAndTheErrorRateOfTheLastFiveMinutes() {
    assertEquals(new CircuitBreakers.Health("closed", 0, 0), breakers.health(7));
    succeeded(7);
    failed(7);
    assertEquals(new CircuitBreakers.Health("closed", 2, 1), breakers.health(7));
    assertEquals(0.5, breakers.health(7).recentErrorRate());
    failed(7);
    failed(7);
    assertEquals("open", breakers.health(7).breaker());
    now += Duration.ofSeconds(31).toNanos();
    assertEquals("half-open", breakers.health(7).breaker());
    assertEquals(4, breakers.health(7).recentCalls());
    now += Duration.ofMinutes(3).toNanos();
    succeeded(7);
    assertEquals(new CircuitBreakers.Health("closed", 5, 3), breakers.health(7));
    // the first calls leave the window; the last one stays
    now += Duration.ofMinutes(3).toNanos();
    assertEquals(new CircuitBreakers.Health("closed", 1, 0), breakers.health(7));
    now += Duration.ofMinutes(5).toNanos();
    assertEquals(new CircuitBreakers.Health("closed", 0, 0), breakers.health(7));
  }
}
