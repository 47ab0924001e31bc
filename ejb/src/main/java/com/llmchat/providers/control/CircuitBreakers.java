package com.llmchat.providers.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One circuit breaker per provider: after a run of failed calls the provider is skipped for a while
 * (the next provider serving the model answers instead, or the user learns at once that it is
 * down), then one trial call decides whether it is back.
 */
@ApplicationScoped
public class CircuitBreakers {

  @Inject
  @ConfigProperty(name = "llmchat.llm.breaker-failures", defaultValue = "5")
  int failureThreshold;

  @Inject
  @ConfigProperty(name = "llmchat.llm.breaker-open-seconds", defaultValue = "30")
  long openSeconds;

  LongSupplier clock = System::nanoTime;

  private final Map<Long, Breaker> breakers = new ConcurrentHashMap<>();

  /** Whether a call to the provider may go out now; in the half-open state only one may. */
  public boolean allows(long providerId) {
    return breakers.computeIfAbsent(providerId, id -> new Breaker()).allows();
  }

  public void succeeded(long providerId) {
    breakers.computeIfAbsent(providerId, id -> new Breaker()).succeeded();
  }

  public void failed(long providerId) {
    breakers.computeIfAbsent(providerId, id -> new Breaker()).failed();
  }

  private final class Breaker {
    private int consecutiveFailures;
    private long openUntil;
    private boolean trialOut;

    synchronized boolean allows() {
      if (openUntil == 0) {
        return true;
      }
      if (clock.getAsLong() - openUntil < 0 || trialOut) {
        return false;
      }
      trialOut = true;
      return true;
    }

    synchronized void succeeded() {
      consecutiveFailures = 0;
      openUntil = 0;
      trialOut = false;
    }

    synchronized void failed() {
      consecutiveFailures++;
      if (trialOut || consecutiveFailures >= failureThreshold) {
        long until = clock.getAsLong() + Duration.ofSeconds(openSeconds).toNanos();
        openUntil = until == 0 ? 1 : until;
        trialOut = false;
      }
    }
  }
}
