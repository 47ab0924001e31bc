package com.llmchat.providers.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
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

  @Test
  void opensAfterTheThresholdOfConsecutiveFailures() {
    breakers.failed(1);
    breakers.failed(1);
    assertTrue(breakers.allows(1));
    breakers.failed(1);
    assertFalse(breakers.allows(1));
    assertTrue(breakers.allows(2), "other providers are not affected");
  }

  @Test
  void aSuccessResetsTheCount() {
    breakers.failed(1);
    breakers.failed(1);
    breakers.succeeded(1);
    breakers.failed(1);
    breakers.failed(1);
    assertTrue(breakers.allows(1));
  }

  @Test
  void afterTheOpenPeriodOneTrialDecides() {
    for (int i = 0; i < 3; i++) {
      breakers.failed(1);
    }
    now += Duration.ofSeconds(31).toNanos();
    assertTrue(breakers.allows(1), "the trial call");
    assertFalse(breakers.allows(1), "only one trial at a time");
    breakers.failed(1);
    assertFalse(breakers.allows(1), "a failed trial opens it again at once");
    now += Duration.ofSeconds(31).toNanos();
    assertTrue(breakers.allows(1));
    breakers.succeeded(1);
    assertTrue(breakers.allows(1));
    assertTrue(breakers.allows(1), "closed again");
  }
}
