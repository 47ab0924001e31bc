package com.llmchat.providers.control;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * A latency histogram as cumulative counters with an {@code le} tag (seconds), so that Prometheus
 * can tell percentiles: {@code histogram_quantile(0.95, sum by (le) (rate(<name>_total[5m])))}.
 * WildFly's application registry makes only plain timers (no histogram configuration reaches its
 * Prometheus registry), hence counters.
 */
public final class LatencyBuckets {

  static final double[] BOUNDS_SECONDS = {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30};

  /** For the relay's own overhead: a tenth of a millisecond up to a second. */
  public static final double[] SUB_MILLISECOND_BOUNDS = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1
  };

  private final double[] bounds;
  private final Counter[] buckets;
  private final Counter infinite;

  public LatencyBuckets(MeterRegistry meters, String name) {
    this(meters, name, BOUNDS_SECONDS);
  }

  public LatencyBuckets(MeterRegistry meters, String name, double[] boundsSeconds) {
    bounds = boundsSeconds.clone();
    buckets = new Counter[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      buckets[i] = meters.counter(name, "le", label(bounds[i]));
    }
    infinite = meters.counter(name, "le", "+Inf");
  }

  static String label(double seconds) {
    // 0.0001, not 1.0E-4
    return seconds < 0.001
        ? BigDecimal.valueOf(seconds).stripTrailingZeros().toPlainString()
        : String.format(Locale.ROOT, "%s", seconds);
  }

  public void record(long nanos) {
    double seconds = nanos / 1e9;
    for (int i = bounds.length - 1; i >= 0 && seconds <= bounds[i]; i--) {
      buckets[i].increment();
    }
    infinite.increment();
  }
}
