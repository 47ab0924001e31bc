package com.llmchat.bench;

import com.llmchat.bench.Bench.Mode;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The benchmark's figures as docs/performance.md. */
final class Report {

  private final Map<String, String> options;
  private final StringBuilder latency = new StringBuilder();
  private final StringBuilder capacity = new StringBuilder();
  private final StringBuilder firstPage = new StringBuilder();

  Report(Map<String, String> options) {
    this.options = options;
  }

  void latency(
      int concurrency,
      String knobs,
      Map<Mode, Histogram> ttft,
      Map<Mode, Histogram> gaps,
      Map<Mode, int[]> lost) {
    Histogram direct = ttft.get(Mode.DIRECT);
    Histogram relay = ttft.get(Mode.RELAY);
    latency
        .append("### Latency at ")
        .append(concurrency)
        .append(" concurrent streams\n\n")
        .append("Each stream: `")
        .append(knobs)
        .append("` (the simulator waits 50 ms, then sends 50 tokens 20 ms apart). ")
        .append(direct.getTotalCount())
        .append(" streams per side, rounds alternating direct / through LLM Chat.\n\n")
        .append(
            "| | direct p50 | LLM Chat p50 | added p50 | direct p99 | LLM Chat p99 | added p99 |")
        .append(" target |\n|---|---|---|---|---|---|---|---|\n");
    row("time to first content", direct, relay, "added p50 < 1 ms, p99 < 5 ms");
    row("gap between deltas", gaps.get(Mode.DIRECT), gaps.get(Mode.RELAY), "added p99 < 1 ms");
    latency
        .append("\n| | streams | deltas missing | failed streams |\n|---|---|---|---|\n")
        .append(lostRow("direct", lost.get(Mode.DIRECT)))
        .append(lostRow("LLM Chat", lost.get(Mode.RELAY)))
        .append('\n')
        .append(
            String.format(
                Locale.ROOT,
                "Ratio LLM Chat / direct, time to first content: p50 %.2f×, p99 %.2f×;"
                    + " gaps: p50 %.2f×, p99 %.2f×.%n%n",
                ratio(relay, direct, 50),
                ratio(relay, direct, 99),
                ratio(gaps.get(Mode.RELAY), gaps.get(Mode.DIRECT), 50),
                ratio(gaps.get(Mode.RELAY), gaps.get(Mode.DIRECT), 99)));
  }

  private void row(String what, Histogram direct, Histogram relay, String target) {
    latency.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
            what,
            ms(direct.getValueAtPercentile(50)),
            ms(relay.getValueAtPercentile(50)),
            ms(relay.getValueAtPercentile(50) - direct.getValueAtPercentile(50)),
            ms(direct.getValueAtPercentile(99)),
            ms(relay.getValueAtPercentile(99)),
            ms(relay.getValueAtPercentile(99) - direct.getValueAtPercentile(99)),
            target));
  }

  private static String lostRow(String who, int[] lost) {
    return "| " + who + " | " + lost[0] + " | " + lost[1] + " | " + lost[2] + " |\n";
  }

  void capacity(int streams, Map<Mode, Integer> held, long rssPerStream) {
    if (capacity.length() == 0) {
      capacity
          .append("### Concurrent streams held\n\n")
          .append(
              "Streams opened at a steady pace (--open-rate, default 100 per second), each"
                  + " `ttft-ms=200 tokens=200 gap-ms=100` (~20 s), so that once the last is open"
                  + " all are open at the same time; held = first content within 5 s of its request"
                  + " and arrived whole (200 deltas, no error). Server memory: the WildFly"
                  + " process's resident set 3 s after the last stream opened, minus before, per"
                  + " stream.\n\n")
          .append(
              "| streams opened | held direct | held through LLM Chat | ratio | server RSS per"
                  + " stream |\n|---|---|---|---|---|\n");
    }
    capacity.append(
        String.format(
            Locale.ROOT,
            "| %d | %d | %d | %.2f | %s |%n",
            streams,
            held.get(Mode.DIRECT),
            held.get(Mode.RELAY),
            held.get(Mode.DIRECT) == 0
                ? 0.0
                : held.get(Mode.RELAY) / (double) held.get(Mode.DIRECT),
            rssPerStream < 0 ? "n/a (shrank: a collection ran)" : (rssPerStream / 1024) + " KB"));
  }

  void firstPage(Histogram times) {
    firstPage
        .append("### Opening a long conversation\n\n")
        .append(
            "The newest page (50 messages) of a conversation of 10,000 messages, over HTTP with"
                + " the access token checked and the account re-read, ")
        .append(times.getTotalCount())
        .append(" requests one after another: p50 ")
        .append(ms(times.getValueAtPercentile(50)))
        .append(", p99 ")
        .append(ms(times.getValueAtPercentile(99)))
        .append(" (target < 20 ms).\n\n");
  }

  static final String START = "<!-- bench:start (written by bin/llmchat bench) -->";
  static final String END = "<!-- bench:end -->";

  /** The document with its benchmark section replaced (or the section alone). */
  static String into(String document, String section) {
    int start = document.indexOf(START);
    int end = document.indexOf(END);
    if (start < 0 || end < start) {
      return START + "\n" + section + END + "\n";
    }
    return document.substring(0, start + START.length()) + "\n" + section + document.substring(end);
  }

  String markdown() {
    return "## Measured "
        + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))
        + " UTC\n\n"
        + "Machine: "
        + Runtime.getRuntime().availableProcessors()
        + " CPUs; server JVM: "
        + options.getOrDefault("server-java", "?")
        + "; the simulator, PostgreSQL, WildFly and this driver all on the same machine.\n\n"
        + latency
        + capacity
        + "\n"
        + firstPage;
  }

  private static double ratio(Histogram a, Histogram b, double percentile) {
    long below = b.getValueAtPercentile(percentile);
    return below == 0 ? 0 : a.getValueAtPercentile(percentile) / (double) below;
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1_000_000.0);
  }
}
