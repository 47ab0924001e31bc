package com.llmchat.bench;

/**
 * Reads one event stream line by line and notes when content arrives: the model server's own chunks
 * ({@code data: {"choices":[{"delta":{"content":"..."}}]}}) or LLM Chat's {@code delta} events.
 * Only non-empty content counts; role-only and usage chunks do not.
 */
final class DeltaCounter {

  enum Wire {
    /** The OpenAI chunk format, straight from the model server. */
    OPENAI,
    /** LLM Chat's typed events. */
    RELAY
  }

  private final Wire wire;
  private final long sentNanos;
  private String event = "message";
  private long firstContentNanos = -1;
  private long lastContentNanos = -1;
  private int deltas;
  private boolean failed;
  private final Sample.Gaps gaps;

  DeltaCounter(Wire wire, long sentNanos, Sample.Gaps gaps) {
    this.wire = wire;
    this.sentNanos = sentNanos;
    this.gaps = gaps;
  }

  void line(String line, long nowNanos) {
    if (line.startsWith("event:")) {
      event = line.substring(6).strip();
      return;
    }
    if (line.isEmpty()) {
      event = "message";
      return;
    }
    if (!line.startsWith("data:")) {
      return;
    }
    String data = line.substring(5).strip();
    boolean content;
    if (wire == Wire.OPENAI) {
      failed |= data.startsWith("{\"error\"");
      content = hasContent(data);
    } else {
      failed |= event.equals("error");
      content = event.equals("delta") && hasContent(data);
    }
    if (content) {
      if (firstContentNanos < 0) {
        firstContentNanos = nowNanos;
      } else {
        gaps.record(nowNanos - lastContentNanos);
      }
      lastContentNanos = nowNanos;
      deltas++;
    }
  }

  /** A {@code "content":"..."} with at least one character. */
  static boolean hasContent(String json) {
    int at = json.indexOf("\"content\":\"");
    return at >= 0 && json.length() > at + 11 && json.charAt(at + 11) != '"';
  }

  Sample sample() {
    return new Sample(
        firstContentNanos < 0 ? -1 : firstContentNanos - sentNanos,
        lastContentNanos < 0 ? -1 : lastContentNanos - sentNanos,
        deltas,
        failed);
  }
}
