package com.llmchat.bench;

import org.HdrHistogram.Histogram;

/** One stream as the client saw it: time to the first content, how many deltas, an error. */
record Sample(long firstContentNanos, int deltas, boolean failed) {

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
