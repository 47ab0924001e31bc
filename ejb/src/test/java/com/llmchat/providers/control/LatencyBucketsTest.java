package com.llmchat.providers.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {

  @Test
  void countsAreCumulativeLikeAPrometheusHistogram() {
    var meters = new SimpleMeterRegistry();
    var buckets = new LatencyBuckets(meters, "first.token.bucket");
    buckets.record(TimeUnit.MILLISECONDS.toNanos(80));
    buckets.record(TimeUnit.MILLISECONDS.toNanos(700));
    buckets.record(TimeUnit.SECONDS.toNanos(45));
    assertEquals(0, count(meters, "0.05"));
    assertEquals(1, count(meters, "0.1"));
    assertEquals(1, count(meters, "0.5"));
    assertEquals(2, count(meters, "1.0"));
    assertEquals(2, count(meters, "30.0"));
    assertEquals(3, count(meters, "+Inf"));
  }

  @Test
  void subMillisecondBoundsHavePlainLabels() {
    var meters = new SimpleMeterRegistry();
    var buckets =
        new LatencyBuckets(meters, "first.token.bucket", LatencyBuckets.SUB_MILLISECOND_BOUNDS);
    buckets.record(TimeUnit.MICROSECONDS.toNanos(80));
    buckets.record(TimeUnit.MICROSECONDS.toNanos(400));
    assertEquals(1, count(meters, "0.0001"));
    assertEquals(1, count(meters, "0.00025"));
    assertEquals(2, count(meters, "0.0005"));
    assertEquals(2, count(meters, "0.001"));
    assertEquals(2, count(meters, "+Inf"));
  }

  private static double count(SimpleMeterRegistry meters, String le) {
    return meters.get("first.token.bucket").tag("le", le).counter().count();
  }
}
