package com.llmchat.bench;

import org.HdrHistogram.Histogram;

/**
 * One stream as the client saw it: time to the first content and to the last, how many deltas, an
 * error. A time is -1 when no content came.
 */
record Sample(long firstContentNanos, long lastContentNanos, int deltas, boolean failed) {

  static Sample failure() {
    return new Sample(-1, -1, 0, true);
  }

  /** Where the gaps between consecutive deltas go; shared by all streams of one run. */
  interface Gaps {
    void record(long nanos);
  }

  /** Gaps into a histogram, safely from many threads. */
  static Gaps into(Histogram histogram) {
    return nanos -> {
      synchronized (histogram) {
        histogram.recordValue(Math.max(0, nanos));
      }
    };
  }
}
