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

  /**
   * A call to the provider, or null when none may go out now (in the half-open state only one may).
   * Close it in any case: a call closed without an outcome (cancelled, refused before it went out,
   * an unexpected exception) ends a half-open trial undecided, so the next call may try.
   */
  public Call attempt(long providerId) {
    Breaker breaker = breakers.computeIfAbsent(providerId, id -> new Breaker());
    return breaker.allows() ? new Call(breaker) : null;
  }

  /** One call's outcome, reported once; the first report counts. */
  public static final class Call implements AutoCloseable {
    private final Breaker breaker;
    private boolean reported;

    private Call(Breaker breaker) {
      this.breaker = breaker;
    }

    public void succeeded() {
      if (!reported) {
        reported = true;
        breaker.succeeded();
      }
    }

    public void failed() {
      if (!reported) {
        reported = true;
        breaker.failed();
      }
    }

    @Override
    public void close() {
      if (!reported) {
        reported = true;
        breaker.undecided();
      }
    }
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

    synchronized void undecided() {
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
