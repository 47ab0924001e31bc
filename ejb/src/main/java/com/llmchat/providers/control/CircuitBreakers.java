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

  /**
   * How a provider is doing on this server: its breaker ({@code closed}, {@code open}, {@code
   * half-open}) and its calls and failed calls of the last five minutes.
   */
  public record Health(String breaker, int recentCalls, int recentFailures) {

    /** Failed calls of the last five minutes as a share of all (0 without calls). */
    public double recentErrorRate() {
      return recentCalls == 0 ? 0 : (double) recentFailures / recentCalls;
    }
  }

  public Health health(long providerId) {
    Breaker breaker = breakers.get(providerId);
    return breaker == null ? new Health("closed", 0, 0) : breaker.health();
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

  private static final int WINDOW_MINUTES = 5;
  private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

  private final class Breaker {
    private int consecutiveFailures;
    private long openUntil;
    private boolean trialOut;
    // the calls of the last minutes, a bucket a minute
    private final long[] minutes = new long[WINDOW_MINUTES];
    private final int[] calls = new int[WINDOW_MINUTES];
    private final int[] failures = new int[WINDOW_MINUTES];

    private void count(boolean failed) {
      long minute = Math.floorDiv(clock.getAsLong(), MINUTE_NANOS);
      int bucket = (int) Math.floorMod(minute, WINDOW_MINUTES);
      if (minutes[bucket] != minute || calls[bucket] == 0) {
        minutes[bucket] = minute;
        calls[bucket] = 0;
        failures[bucket] = 0;
      }
      calls[bucket]++;
      failures[bucket] += failed ? 1 : 0;
    }

    synchronized Health health() {
      long now = clock.getAsLong();
      long minute = Math.floorDiv(now, MINUTE_NANOS);
      int recentCalls = 0;
      int recentFailures = 0;
      for (int i = 0; i < WINDOW_MINUTES; i++) {
        if (calls[i] > 0 && minute - minutes[i] < WINDOW_MINUTES) {
          recentCalls += calls[i];
          recentFailures += failures[i];
        }
      }
      String state = openUntil == 0 ? "closed" : now - openUntil < 0 ? "open" : "half-open";
      return new Health(state, recentCalls, recentFailures);
    }

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
      count(false);
      consecutiveFailures = 0;
      openUntil = 0;
      trialOut = false;
    }

    synchronized void undecided() {
      trialOut = false;
    }

    synchronized void failed() {
      count(true);
      consecutiveFailures++;
      if (trialOut || consecutiveFailures >= failureThreshold) {
        long until = clock.getAsLong() + Duration.ofSeconds(openSeconds).toNanos();
        openUntil = until == 0 ? 1 : until;
        trialOut = false;
      }
    }
  }
}
