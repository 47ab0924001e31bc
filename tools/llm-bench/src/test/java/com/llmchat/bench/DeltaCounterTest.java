package com.llmchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class DeltaCounterTest {

  private final Histogram gaps = Bench.histogram();

  @Test
  void countsOnlyNonEmptyContentOfTheModelServersChunks() {
    var counter = new DeltaCounter(DeltaCounter.Wire.OPENAI, 0, Sample.into(gaps));
    counter.line("data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}", 5);
    counter.line("", 5);
    counter.line("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}", 10);
    counter.line("data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}", 30);
    counter.line("data: {\"choices\":[],\"usage\":{\"completion_tokens\":2}}", 40);
    counter.line("data: [DONE]", 41);
    Sample sample = counter.sample();
    assertEquals(10, sample.firstContentNanos());
    assertEquals(30, sample.lastContentNanos(), "the usage chunk and [DONE] are not content");
    assertEquals(2, sample.deltas());
    assertFalse(sample.failed());
    assertEquals(1, gaps.getTotalCount());
    assertEquals(20, gaps.getMaxValue());
  }

  @Test
  void readsTheRelaysTypedEvents() {
    var counter = new DeltaCounter(DeltaCounter.Wire.RELAY, 100, Sample.into(gaps));
    counter.line("event: message", 101);
    counter.line("data: {\"question\":{\"content\":\"hi\"},\"reply\":{\"content\":\"\"}}", 101);
    counter.line("", 101);
    counter.line(": keep-alive", 150);
    counter.line("event: delta", 200);
    counter.line("data: {\"content\":\"Hi\",\"reasoning\":null}", 200);
    counter.line("", 200);
    counter.line("event: delta", 210);
    counter.line("data: {\"content\":null,\"reasoning\":\"hmm\"}", 210);
    counter.line("", 210);
    counter.line("event: error", 220);
    counter.line("data: {\"message\":\"broke\"}", 220);
    Sample sample = counter.sample();
    assertEquals(100, sample.firstContentNanos(), "the message event is not content");
    assertEquals(100, sample.lastContentNanos(), "reasoning is not content");
    assertEquals(1, sample.deltas());
    assertTrue(sample.failed());
  }

  @Test
  void aStreamWithoutContentHasNoTimes() {
    var counter = new DeltaCounter(DeltaCounter.Wire.OPENAI, 0, Sample.into(gaps));
    counter.line("data: [DONE]", 7);
    assertEquals(-1, counter.sample().firstContentNanos());
    assertEquals(-1, counter.sample().lastContentNanos());
  }

  @Test
  void theBenchSectionReplacesOnlyItself() {
    String doc = "# Performance\nintro\n" + Report.START + "\nold\n" + Report.END + "\nafter\n";
    String updated = Report.into(doc, "bench", "new\n");
    assertEquals(
        "# Performance\nintro\n" + Report.START + "\nnew\n" + Report.END + "\nafter\n", updated);
  }

  @Test
  void aNamedSectionIsAddedAtTheEndAndThenReplacedLeavingTheBenchSectionAlone() {
    String doc = "# Performance\n" + Report.START + "\nsingle\n" + Report.END + "\n";
    String added = Report.into(doc, "cluster", "two\n");
    assertEquals(
        doc
            + "\n<!-- cluster:start (written by bin/llmchat bench) -->\ntwo\n"
            + "<!-- cluster:end -->\n",
        added);
    String replaced = Report.into(added, "cluster", "three\n");
    assertEquals(added.replace("two", "three"), replaced);
  }
}
