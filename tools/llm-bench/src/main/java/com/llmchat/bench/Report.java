package com.llmchat.bench;

import com.llmchat.bench.Bench.Mode;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The benchmark's figures as docs/performance.md. */
final class Report {

  private final Map<String, String> options;
  private final StringBuilder levels = new StringBuilder();
  private final StringBuilder passThrough = new StringBuilder();
  private final StringBuilder limits = new StringBuilder();
  private final StringBuilder memory = new StringBuilder();
  private final StringBuilder capacity = new StringBuilder();
  private final StringBuilder firstPage = new StringBuilder();
  private String warmUp = "";

  Report(Map<String, String> options) {
    this.options = options;
  }

  void warmUp(int calls, int streams, long lastRoundCompiles) {
    warmUp =
        "Warm-up: "
            + calls
            + " short calls (`"
            + Bench.WARM_UP_CALL
            + "`, 32 at once) each way through, then "
            + streams
            + " streams through LLM Chat (`"
            + Bench.WARM_UP
            + "`, 64 at once, the JIT's queue worked through after each round) until the server's"
            + " JIT compiled fewer than "
            + Bench.QUIET_COMPILES
            + " methods in a round of 256 streams (last round: "
            + (lastRoundCompiles < 0 ? "not known" : lastRoundCompiles)
            + ").\n\n";
  }

  void level(Bench.Level level) {
    if (level.sides().get(Mode.RELAY).streams > 0) {
      conversationLevel(level);
    }
    if (level.sides().get(Mode.GATEWAY).streams > 0) {
      passThroughLevel(level);
    }
    for (Mode limited : new Mode[] {Mode.RELAY_LIMITS, Mode.GATEWAY_LIMITS}) {
      if (level.sides().get(limited).streams > 0) {
        limitsLevel(level, limited);
      }
    }
  }

  /**
   * A way through without limits and with them, side by side: windows of the same level of the same
   * run, alternating, so the difference is measured rather than read across runs.
   */
  private void limitsLevel(Bench.Level level, Mode limited) {
    if (limits.length() == 0) {
      limits
          .append("\n### With a budget and rate limits on\n\n")
          .append(
              "A second bench user with a monthly token budget and a per-minute request limit, its"
                  + " API key with a per-minute request limit, none of which refuses: every call"
                  + " reserves in three budget rows and settles in them. Its windows alternate with"
                  + " the first user's (no limits) and the direct ones at each level;"
                  + " without → with.\n\n")
          .append(
              "| concurrent streams | through | added first content p50 | added first content"
                  + " p99 | added gap p99 | replies/s (direct) | CPU per reply (PostgreSQL) | incomplete"
                  + " |\n|---|---|---|---|---|---|---|---|\n");
    }
    Bench.Side direct = level.sides().get(Mode.DIRECT);
    Bench.Side without = level.sides().get(limited.limited(false));
    Bench.Side with = level.sides().get(limited);
    limits.append(
        String.format(
            Locale.ROOT,
            "| %d | %s | %s → %s | %s → %s | %s → %s | %.1f → %.1f (%.1f) | %.2f (%.2f) → %.2f"
                + " (%.2f) ms |"
                + " %d → %d |%n",
            level.concurrency(),
            limited.conversation() ? "conversation" : "`/v1`",
            added(without.ttft, direct.ttft, 50),
            added(with.ttft, direct.ttft, 50),
            added(without.ttft, direct.ttft, 99),
            added(with.ttft, direct.ttft, 99),
            added(without.gaps, direct.gaps, 99),
            added(with.gaps, direct.gaps, 99),
            perSecond(without),
            perSecond(with),
            perSecond(direct),
            cpuPerReply(without, direct) / 1e6,
            databaseCpuPerReply(without, direct) / 1e6,
            cpuPerReply(with, direct) / 1e6,
            databaseCpuPerReply(with, direct) / 1e6,
            without.streams - without.whole,
            with.streams - with.whole));
  }

  private static String added(Histogram through, Histogram direct, double percentile) {
    return signedMs(
        through.getValueAtPercentile(percentile) - direct.getValueAtPercentile(percentile));
  }

  private static final String HEADER =
      "| concurrent streams | added first content p50 / p99 | added gap p99 |"
          + " added last content p50 | replies/s through (direct) | CPU per reply (PostgreSQL) |"
          + " streams per side, incomplete through |\n|---|---|---|---|---|---|---|\n";

  private void passThroughLevel(Bench.Level level) {
    if (passThrough.length() == 0) {
      passThrough
          .append("\n### The OpenAI-compatible API (pass-through)\n\n")
          .append(
              "The same streams through `POST /v1/chat/completions` with a personal API key, in"
                  + " windows of their own between the direct ones: the simulator's chunks passed"
                  + " on as they came, a ledger row per call.\n\n")
          .append(HEADER);
    }
    row(passThrough, level, level.sides().get(Mode.GATEWAY));
  }

  private void conversationLevel(Bench.Level level) {
    if (levels.length() == 0) {
      levels
          .append("### Added latency and cost per stream\n\n")
          .append(
              "Each stream: `"
                  + Bench.knobs(options)
                  + "` ("
                  + Bench.tokens(options)
                  + " content deltas, the first at once), over a socket of its"
                  + " own, each read timestamped as it returns. Per level, windows alternate"
                  + " direct to the simulator / through LLM Chat"
                  + " (`POST /api/v1/conversations/{id}/messages`), the same workers running"
                  + " streams one after another. Added = through − direct. Last content: from the"
                  + " request to the reply's last delta, how much longer a whole reply takes."
                  + " CPU per reply: WildFly"
                  + " and PostgreSQL (every process of it), user + system time from /proc over the"
                  + " windows through LLM Chat, less what the same processes spent per second in"
                  + " the direct windows (idle), divided by the replies; in parentheses PostgreSQL's part"
                  + " of it. Every stream through LLM"
                  + " Chat has a conversation of its own, made before its window; no title is asked for"
                  + " (`LLMCHAT_TITLES_ENABLED=false`).\n\n")
          .append(HEADER);
    }
    row(levels, level, level.sides().get(Mode.RELAY));
  }

  private static void row(StringBuilder table, Bench.Level level, Bench.Side relay) {
    Bench.Side direct = level.sides().get(Mode.DIRECT);
    table.append(
        String.format(
            Locale.ROOT,
            "| %d | %s / %s | %s | %s | %.1f (%.1f) | %.2f ms (%.2f) | %d, %d |%n",
            level.concurrency(),
            signedMs(relay.ttft.getValueAtPercentile(50) - direct.ttft.getValueAtPercentile(50)),
            signedMs(relay.ttft.getValueAtPercentile(99) - direct.ttft.getValueAtPercentile(99)),
            signedMs(relay.gaps.getValueAtPercentile(99) - direct.gaps.getValueAtPercentile(99)),
            signedMs(relay.lasts.getValueAtPercentile(50) - direct.lasts.getValueAtPercentile(50)),
            perSecond(relay),
            perSecond(direct),
            cpuPerReply(relay, direct) / 1e6,
            databaseCpuPerReply(relay, direct) / 1e6,
            relay.streams,
            relay.streams - relay.whole));
  }

  /** Whole replies per second of window time. */
  static double perSecond(Bench.Side side) {
    return side.wallNanos == 0 ? 0 : side.whole / (side.wallNanos / 1e9);
  }

  /**
   * The server's CPU per reply through LLM Chat, less what it spends idle: during the direct
   * windows it serves nothing, so its CPU per second there (timers, JIT, PostgreSQL's own work) is
   * taken off for the length of the windows through it.
   */
  static double cpuPerReply(Bench.Side relay, Bench.Side direct) {
    return perReply(relay.serverCpuNanos, direct.serverCpuNanos, relay, direct);
  }

  /** The part of {@link #cpuPerReply} that PostgreSQL spent, reckoned the same way. */
  static double databaseCpuPerReply(Bench.Side relay, Bench.Side direct) {
    return perReply(relay.databaseCpuNanos, direct.databaseCpuNanos, relay, direct);
  }

  private static double perReply(
      long throughNanos, long directNanos, Bench.Side relay, Bench.Side direct) {
    if (relay.whole == 0) {
      return 0;
    }
    double idlePerNano = direct.wallNanos == 0 ? 0 : directNanos / (double) direct.wallNanos;
    return Math.max(0, throughNanos - idlePerNano * relay.wallNanos) / relay.whole;
  }

  void memory(int streams, Bench.Memory memory) {
    this.memory
        .append("\n### Server memory per open stream\n\n")
        .append(streams)
        .append(
            " replies streaming at once through LLM Chat (`ttft-ms=0 tokens=400 gap-ms=50`), 8 s"
                + " after they started, against the same server idle just before: heap in use")
        .append(" after a full collection (`jcmd GC.run`, `GC.heap_info`) ")
        .append(kb(memory.heapPerStream()))
        .append(" per stream; resident set ")
        .append(kb(memory.rssPerStream()))
        .append(" per stream; ")
        .append(memory.streaming())
        .append(" of ")
        .append(streams)
        .append(" arrived whole.\n\n");
  }

  private static String kb(long bytes) {
    return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
  }

  private static String signedMs(long nanos) {
    return String.format(Locale.ROOT, "%+.2f ms", nanos / 1_000_000.0);
  }

  void capacity(int streams, Map<Mode, Integer> held) {
    List<Mode> through =
        java.util.Arrays.stream(Mode.values())
            .filter(mode -> mode != Mode.DIRECT && held.containsKey(mode))
            .toList();
    if (capacity.length() == 0) {
      capacity
          .append("### Concurrent streams held\n\n")
          .append(
              "Streams opened at a steady pace (--open-rate, default 100 per second), each"
                  + " `ttft-ms=200 tokens=200 gap-ms=100` (~20 s), so that once the last is open"
                  + " all are open at the same time; held = first content within 5 s of its request"
                  + " and arrived whole (200 deltas, no error).\n\n")
          .append("| streams opened | held direct |");
      through.forEach(mode -> capacity.append(" held ").append(name(mode)).append(" |"));
      capacity.append("\n|---|---|").append("---|".repeat(through.size())).append('\n');
    }
    capacity.append(String.format(Locale.ROOT, "| %d | %d |", streams, held.get(Mode.DIRECT)));
    through.forEach(mode -> capacity.append(' ').append(held(held, mode)).append(" |"));
    capacity.append('\n');
  }

  private static String name(Mode mode) {
    return switch (mode) {
      case DIRECT -> "direct";
      case RELAY -> "through the conversation relay";
      case GATEWAY -> "through /v1";
      case RELAY_LIMITS -> "through the conversation relay, limits on";
      case GATEWAY_LIMITS -> "through /v1, limits on";
    };
  }

  /** A count and its ratio to the direct one, or "not run". */
  private static String held(Map<Mode, Integer> held, Mode mode) {
    Integer count = held.get(mode);
    int direct = held.get(Mode.DIRECT);
    return count == null
        ? "not run"
        : String.format(
            Locale.ROOT, "%d (%.2f×)", count, direct == 0 ? 0.0 : count / (double) direct);
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

  /**
   * The document with its benchmark section {@code name} replaced ({@code bench}: the single
   * server's; {@code cluster}: the cluster's), or added at its end.
   */
  static String into(String document, String name, String section) {
    String start =
        name.equals("bench") ? START : "<!-- " + name + ":start (written by bin/llmchat bench) -->";
    String end = name.equals("bench") ? END : "<!-- " + name + ":end -->";
    int from = document.indexOf(start);
    int to = document.indexOf(end);
    if (from < 0 || to < from) {
      String before = document.isEmpty() || document.endsWith("\n") ? document : document + "\n";
      return before + (before.isEmpty() ? "" : "\n") + start + "\n" + section + end + "\n";
    }
    return document.substring(0, from + start.length()) + "\n" + section + document.substring(to);
  }

  String markdown() {
    return "## Measured "
        + options.getOrDefault("title", "")
        + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))
        + " UTC\n\n"
        + "Machine: "
        + options.getOrDefault("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()))
        + " CPUs; server JVM: "
        + options.getOrDefault("server-java", "?")
        + "; "
        + options.getOrDefault(
            "pinning", "not pinned: the simulator, PostgreSQL, WildFly and this driver share CPUs")
        + ".\n\n"
        + warmUp
        + levels
        + passThrough
        + limits
        + memory
        + capacity
        + "\n"
        + firstPage;
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1_000_000.0);
  }
}
