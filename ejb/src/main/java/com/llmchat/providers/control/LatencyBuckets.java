package com.llmchat.providers.control;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * A latency histogram as cumulative counters with an {@code le} tag (seconds), so that Prometheus
 * can tell percentiles: {@code histogram_quantile(0.95, sum by (le) (rate(<name>_total[5m])))}.
 * WildFly's application registry makes only plain timers (no histogram configuration reaches its
 * Prometheus registry), hence counters.
 */
public final class LatencyBuckets {

  static final double[] BOUNDS_SECONDS = {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30};

  private final Counter[] buckets = new Counter[BOUNDS_SECONDS.length];
  private final Counter infinite;

  public LatencyBuckets(MeterRegistry meters, String name) {
    for (int i = 0; i < BOUNDS_SECONDS.length; i++) {
      buckets[i] = meters.counter(name, "le", label(BOUNDS_SECONDS[i]));
    }
    infinite = meters.counter(name, "le", "+Inf");
  }

  static String label(double seconds) {
    return String.format(Locale.ROOT, "%s", seconds);
  }

  public void record(long nanos) {
    double seconds = nanos / 1e9;
    for (int i = 0; i < BOUNDS_SECONDS.length; i++) {
      if (seconds <= BOUNDS_SECONDS[i]) {
        buckets[i].increment();
      }
    }
    infinite.increment();
  }
}
