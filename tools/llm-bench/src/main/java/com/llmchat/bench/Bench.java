package com.llmchat.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The benchmark: the same streaming load straight against the model server simulator and through
 * LLM Chat, alternating, in one run; writes the figures as a Markdown report. Usage (bin/llmchat
 * bench sets it all up):
 *
 * <pre>
 * java -jar llm-bench-runnable.jar --app=http://127.0.0.1:8080 --simulator=http://127.0.0.1:8089/v1
 *   --admin-password=... [--server-pid=N --db-pid=N --clock-ticks=100 --pinning=TEXT]
 *   [--db-url=... --db-user=... --db-password=...] [--levels=1,16,64,256] [--windows=4]
 *   [--streams-per-window=48] [--warm-up=40] [--warm-up-calls=15000] [--hold=256] [--capacity=500,1000]
 *   [--through=conversation,v1] [--limits] [--tokens=64 --gap-ms=20]
 *   [--out=docs/performance.md] [--server-pid=A,B --balancer-pid=N --section=cluster --title=TEXT]
 * java -jar llm-bench-runnable.jar --search --app=... --admin-password=... --db-url=...
 *   --db-user=... --db-password=... [--messages=1000000] [--users=20] [--queries=400]
 * </pre>
 *
 * <p>The method docs/performance.md describes: a client that timestamps each socket read, streams
 * of 64 deltas 20 ms apart, direct and through windows alternating, server CPU from /proc;
 * bin/llmchat bench pins the server to one CPU and the load to the other. {@code --limits} adds,
 * for each way through, windows of a second bench user with a monthly budget and a rate limit, and
 * a rate limit on its key, that never refuse (every call reserves and settles in them), alternating
 * with the first user's windows without any: what the limits cost, measured in the same run.
 */
public final class Bench {

  /**
   * Where a stream goes: straight to the simulator, through the conversation relay ({@code POST
   * /api/v1/conversations/{id}/messages}, typed events), or through the OpenAI-compatible gateway
   * ({@code POST /v1/chat/completions}, the simulator's chunks passed on).
   */
  enum Mode {
    DIRECT(false),
    RELAY(false),
    GATEWAY(false),
    RELAY_LIMITS(true),
    GATEWAY_LIMITS(true);

    /** Whether the bench user of this mode has a budget and rate limits. */
    final boolean limited;

    Mode(boolean limited) {
      this.limited = limited;
    }

    /** The same way through, with limits or without. */
    Mode limited(boolean on) {
      return switch (this) {
        case RELAY, RELAY_LIMITS -> on ? RELAY_LIMITS : RELAY;
        case GATEWAY, GATEWAY_LIMITS -> on ? GATEWAY_LIMITS : GATEWAY;
        case DIRECT -> DIRECT;
      };
    }

    boolean conversation() {
      return this == RELAY || this == RELAY_LIMITS;
    }
  }

  /** A bench user: how it logs in, its access token and its personal API key (for /v1). */
  record User(String username, String password, String token, String apiKey) {}

  private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

  /**
   * The streams measured: 64 content deltas 20 ms apart, the first at once, unless {@code --tokens}
   * and {@code --gap-ms} say otherwise ({@code --tokens=1 --gap-ms=0}: what a call costs apart from
   * its deltas).
   */
  static String knobs(Map<String, String> options) {
    return "ttft-ms=0 tokens="
        + tokens(options)
        + " gap-ms="
        + options.getOrDefault("gap-ms", "20");
  }

  static int tokens(Map<String, String> options) {
    return Integer.parseInt(options.getOrDefault("tokens", "64"));
  }

  static final String WARM_UP = "ttft-ms=0 tokens=64 gap-ms=5";

  /** The warm-up's short calls (one delta at once), in batches with the JIT's queue let drain. */
  static final String WARM_UP_CALL = "ttft-ms=0 tokens=1 gap-ms=0";

  static final int WARM_UP_BATCH = 3008;

  private final Map<String, String> options;
  private final HttpClient http;
  private final URI app;
  private final URI simulator;
  private final ExecutorService callbacks = Executors.newFixedThreadPool(4);
  private final ServerCpu cpu;
  private final AppCalls calls;
  // the bench user without limits, and the one with (when --limits)
  private User plain;
  private User limited;

  private Bench(Map<String, String> options) {
    this.options = options;
    this.app = URI.create(required("app"));
    this.simulator = URI.create(required("simulator"));
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(callbacks)
            .build();
    this.calls = new AppCalls(http, app);
    this.cpu =
        new ServerCpu(
            serverPids().stream().map(Long::parseLong).toList(),
            Long.parseLong(options.getOrDefault("db-pid", "0")),
            Long.parseLong(options.getOrDefault("balancer-pid", "0")),
            Long.parseLong(options.getOrDefault("clock-ticks", "100")));
  }

  public static void main(String[] args) throws Exception {
    // the server closes a connection idle for 60 s (Undertow's no-request-timeout); a level-1
    // window lasts longer, and a pooled connection the server has closed fails the next call
    System.setProperty("jdk.httpclient.keepalive.timeout", "20");
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      String[] pair = arg.replaceFirst("^--", "").split("=", 2);
      options.put(pair[0], pair.length == 2 ? pair[1] : "true");
    }
    if (options.containsKey("search")) {
      new SearchBench(options).run();
      System.exit(0);
    }
    var bench = new Bench(options);
    try {
      bench.run();
    } finally {
      bench.callbacks.shutdownNow();
    }
    System.exit(0);
  }

  private void run() throws Exception {
    var report = new Report(options);
    login();
    warmUp(report);
    // the warm-up's calls leave thousands of conversations with its users: the windows are
    // measured as users who have only theirs
    login();
    for (String level : list("levels", "1,16,64,256")) {
      int concurrency = Integer.parseInt(level);
      report.level(level(concurrency));
    }
    int hold = Integer.parseInt(options.getOrDefault("hold", "256"));
    if (hold > 0) {
      login();
      report.memory(hold, memory(hold));
    }
    for (String level : list("capacity", "")) {
      login();
      int streams = Integer.parseInt(level);
      say("capacity: " + streams + " concurrent streams");
      Map<Mode, Integer> held = new HashMap<>();
      for (Mode mode : windowOrder()) {
        held.put(mode, capacity(mode, streams));
      }
      report.capacity(streams, held);
      if (held.values().stream().anyMatch(count -> count < streams / 2)) {
        break;
      }
    }
    if (options.containsKey("db-url")) {
      login();
      say("first page of a 10,000-message conversation");
      report.firstPage(firstPage(10_000));
    }
    Path out = Path.of(options.getOrDefault("out", "performance.md"));
    String section = options.getOrDefault("section", "bench");
    Files.writeString(
        out, Report.into(existing(out), section, report.markdown()), StandardCharsets.UTF_8);
    say("wrote " + out.toAbsolutePath());
  }

  private List<String> list(String option, String fallback) {
    return java.util.Arrays.stream(options.getOrDefault(option, fallback).split(","))
        .map(String::strip)
        .filter(entry -> !entry.isEmpty())
        .toList();
  }

  /** What one side of a level showed: the client's figures and the server's CPU. */
  static final class Side {
    final Histogram ttft = histogram();
    final Histogram gaps = histogram();
    // request sent to the last content: how long a whole reply took
    final Histogram lasts = histogram();
    int streams;
    int whole;
    int failed;
    long wallNanos;
    long serverCpuNanos;
    // the part of it PostgreSQL spent
    long databaseCpuNanos;
  }

  record Level(int concurrency, int streamsPerWindow, Map<Mode, Side> sides) {}

  /**
   * One level of concurrency: windows alternating direct / through LLM Chat (--windows, default 4),
   * in each {@code concurrency} workers running streams one after another, so that both sides see
   * the same machine state; the server's CPU is read around each window.
   */
  private Level level(int concurrency) throws Exception {
    List<Mode> order = windowOrder();
    int windows =
        Integer.parseInt(options.getOrDefault("windows", String.valueOf(2 * order.size())));
    int perLevel = Integer.parseInt(options.getOrDefault("streams-per-window", "48"));
    int perWorker = Math.max(3, (perLevel + concurrency - 1) / concurrency);
    Map<Mode, Side> sides = new java.util.EnumMap<>(Mode.class);
    for (Mode mode : Mode.values()) {
      sides.put(mode, new Side());
    }
    for (int window = 0; window < windows; window++) {
      Mode mode = order.get(window % order.size());
      say(
          "level "
              + concurrency
              + ", window "
              + (window + 1)
              + "/"
              + windows
              + ": "
              + mode
              + ", "
              + concurrency * perWorker
              + " streams");
      level(mode, concurrency, perWorker, knobs(options), new Window(sides.get(mode)));
    }
    for (Mode through : order.subList(1, order.size())) {
      summary(concurrency, through, sides);
    }
    return new Level(concurrency, concurrency * perWorker, sides);
  }

  /**
   * The windows of a level in turn: direct, then each way through LLM Chat asked for, each followed
   * by the same with limits when {@code --limits}.
   */
  private List<Mode> windowOrder() {
    List<Mode> order = new ArrayList<>(List.of(Mode.DIRECT));
    for (String through : list("through", "conversation,v1")) {
      Mode mode =
          switch (through) {
            case "conversation" -> Mode.RELAY;
            case "v1" -> Mode.GATEWAY;
            default ->
                throw new IllegalArgumentException(
                    "--through takes conversation and/or v1, not " + through);
          };
      order.add(mode);
      if (options.containsKey("limits")) {
        order.add(mode.limited(true));
      }
    }
    return order;
  }

  private static void summary(int concurrency, Mode through, Map<Mode, Side> sides) {
    Side relay = sides.get(through);
    say(
        String.format(
            java.util.Locale.ROOT,
            "  level %d, %s: added first content p50 %.2f ms, p99 %.2f ms; gap p99 %.2f ms;"
                + " last content p50 %.2f ms; %.1f replies/s (direct %.1f); %.2f ms server CPU"
                + " per reply (PostgreSQL %.2f ms)",
            concurrency,
            through,
            (relay.ttft.getValueAtPercentile(50)
                    - sides.get(Mode.DIRECT).ttft.getValueAtPercentile(50))
                / 1e6,
            (relay.ttft.getValueAtPercentile(99)
                    - sides.get(Mode.DIRECT).ttft.getValueAtPercentile(99))
                / 1e6,
            (relay.gaps.getValueAtPercentile(99)
                    - sides.get(Mode.DIRECT).gaps.getValueAtPercentile(99))
                / 1e6,
            (relay.lasts.getValueAtPercentile(50)
                    - sides.get(Mode.DIRECT).lasts.getValueAtPercentile(50))
                / 1e6,
            Report.perSecond(relay),
            Report.perSecond(sides.get(Mode.DIRECT)),
            Report.cpuPerReply(relay, sides.get(Mode.DIRECT)) / 1e6,
            Report.databaseCpuPerReply(relay, sides.get(Mode.DIRECT)) / 1e6));
  }

  /** Where one window's streams are counted. */
  record Window(Side side) {}

  private void level(Mode mode, int concurrency, int perWorker, String knobs, Window window)
      throws Exception {
    refreshTokens();
    // a fresh conversation for every stream, made before the clock starts: what is measured is
    // the relay, not a history growing over the run
    List<Long> conversations =
        conversations(mode, mode.conversation() ? concurrency * perWorker : 0);
    Side side = window != null ? window.side() : new Side();
    Sample.Gaps gaps = Sample.into(side.gaps);
    List<Thread> workers = new ArrayList<>();
    List<Sample> samples = java.util.Collections.synchronizedList(new ArrayList<>());
    Map<Long, Long> cpuBefore = cpu.read();
    long started = System.nanoTime();
    for (int w = 0; w < concurrency; w++) {
      int first = w * perWorker;
      Thread worker =
          new Thread(
              () -> {
                for (int i = 0; i < perWorker; i++) {
                  long conversation = mode.conversation() ? conversations.get(first + i) : 0;
                  samples.add(stream(mode, conversation, knobs, gaps));
                }
              });
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      worker.join(TimeUnit.MINUTES.toMillis(10));
    }
    side.wallNanos += System.nanoTime() - started;
    Map<Long, Long> cpuAfter = cpu.read();
    side.serverCpuNanos += ServerCpu.spent(cpuBefore, cpuAfter);
    side.databaseCpuNanos += cpu.spentByDatabase(cpuBefore, cpuAfter);
    for (Sample sample : samples) {
      side.streams++;
      side.failed += sample.failed() ? 1 : 0;
      side.whole += !sample.failed() && sample.deltas() == tokens(options) ? 1 : 0;
      if (sample.firstContentNanos() >= 0) {
        side.ttft.recordValue(sample.firstContentNanos());
        side.lasts.recordValue(sample.lastContentNanos());
      }
    }
  }

  /** {@code count} fresh conversations of the bench user of {@code mode}. */
  private List<Long> conversations(Mode mode, int count) throws Exception {
    List<CompletableFuture<Long>> created = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      created.add(conversationAsync(user(mode)));
      if (created.size() % 32 == 0) {
        CompletableFuture.allOf(created.toArray(CompletableFuture[]::new)).join();
      }
    }
    List<Long> ids = new ArrayList<>();
    for (var c : created) {
      ids.add(c.join());
    }
    return ids;
  }

  record Memory(long heapPerStream, long rssPerStream, int streaming) {}

  /**
   * The server's memory per open stream: heap in use after a full collection and resident set, with
   * {@code streams} long replies streaming through it, minus the same before they started.
   */
  private Memory memory(int streams) throws Exception {
    say("memory: " + streams + " open streams");
    List<Long> conversations = conversations(Mode.RELAY, streams);
    long heapBefore = heapAfterCollection();
    long rssBefore = rss();
    String knobs = "ttft-ms=0 tokens=400 gap-ms=50";
    Histogram gaps = histogram();
    List<Thread> running = new ArrayList<>();
    List<Sample> samples = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < streams; i++) {
      long conversation = conversations.get(i);
      Thread stream =
          new Thread(() -> samples.add(stream(Mode.RELAY, conversation, knobs, Sample.into(gaps))));
      stream.start();
      running.add(stream);
    }
    Thread.sleep(8_000);
    long heapDuring = heapAfterCollection();
    long rssDuring = rss();
    for (Thread stream : running) {
      stream.join(TimeUnit.MINUTES.toMillis(5));
    }
    int whole = (int) samples.stream().filter(s -> !s.failed() && s.deltas() == 400).count();
    say("  " + whole + " of " + streams + " streams arrived whole");
    return new Memory(
        heapBefore < 0 ? -1 : (heapDuring - heapBefore) / streams,
        rssBefore < 0 ? -1 : (rssDuring - rssBefore) / streams,
        whole);
  }

  /**
   * Streams through LLM Chat until the server's JIT compiler is quiet: a round of 256 short streams
   * in which it compiled fewer than {@value #QUIET_COMPILES} methods, at most {@code --warm-up}
   * rounds (40). WildFly runs tens of thousands of methods; on one core the compiler still took a
   * third of it after 1,500 replies, and windows measured then carried the compilation, not the
   * relay. After each round the compiler is given the time to work through what the round queued
   * (it shares the one core with the streams, which leave it a small part while they run: a method
   * queued in the first rounds was still being compiled 10 s into a measured window). One round
   * straight to the simulator warms the simulator and the driver.
   */
  private void warmUp(Report report) throws Exception {
    int rounds = Integer.parseInt(options.getOrDefault("warm-up", "40"));
    level(Mode.DIRECT, 64, 4, WARM_UP, null);
    List<Mode> through = windowOrder().subList(1, windowOrder().size());
    // what runs once per call (the request, the upstream call, the ledger) reaches C2 only after
    // thousands of calls, and many more while C2's queue is long (its thresholds grow with the
    // queue): rounds of long streams alone measured it still in C1's profiling code
    int calls = Integer.parseInt(options.getOrDefault("warm-up-calls", "15000"));
    for (Mode mode : through) {
      for (int done = 0; done < calls; done += WARM_UP_BATCH) {
        level(mode, 32, WARM_UP_BATCH / 32, WARM_UP_CALL, null);
        compilerIdle();
      }
      say("warm-up: " + calls + " short calls " + mode);
    }
    long before = compilations();
    int round = 0;
    long compiled = -1;
    while (round < rounds) {
      // each way through LLM Chat in turn: both paths compiled before any window is measured
      level(through.get(round % through.size()), 64, 4, WARM_UP, null);
      round++;
      compilerIdle();
      long now = compilations();
      compiled = before < 0 || now < 0 ? -1 : now - before;
      before = now;
      say("warm-up round " + round + ": " + (compiled < 0 ? "?" : compiled) + " methods compiled");
      if (compiled >= 0 && compiled < QUIET_COMPILES) {
        break;
      }
    }
    report.warmUp(calls, round * 256, compiled);
  }

  static final int QUIET_COMPILES = 50;

  /**
   * How many methods the server's JIT has compiled so far ({@code jcmd PerfCounter.print}), or -1.
   */
  private long compilations() throws IOException, InterruptedException {
    if (serverPids().isEmpty()) {
      return -1;
    }
    long sum = 0;
    for (String pid : serverPids()) {
      Matcher total =
          Pattern.compile("sun\\.ci\\.totalCompiles=(\\d+)")
              .matcher(jcmd(pid, "PerfCounter.print"));
      if (!total.find()) {
        return -1;
      }
      sum += Long.parseLong(total.group(1));
    }
    return sum;
  }

  /** The WildFly processes: one, or the servers of a cluster ({@code --server-pid=A,B}). */
  private List<String> serverPids() {
    return list("server-pid", "");
  }

  /** Waits, at most a minute, until the servers' JITs have nothing queued or being compiled. */
  private void compilerIdle() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    for (String pid : serverPids()) {
      while (System.nanoTime() < deadline && !compilerIdle(jcmd(pid, "Compiler.queue"))) {
        // jcmd is a JVM of its own: not asked too often
        Thread.sleep(1_000);
      }
    }
  }

  /**
   * Whether {@code jcmd Compiler.queue} says the JIT is idle: nothing under "Current compiles", and
   * each compile queue "Empty". An answer without them (no server, no jcmd) counts as idle.
   */
  static boolean compilerIdle(String queue) {
    boolean started = false;
    for (String line : queue.lines().map(String::strip).toList()) {
      if (line.startsWith("Current compiles:")) {
        started = true;
      } else if (started
          && !line.isEmpty()
          && !line.equals("Empty")
          && !line.endsWith("compile queue:")) {
        // a method being compiled, or one queued
        return false;
      }
    }
    return true;
  }

  /** A server's answer to a {@code jcmd} command. */
  private static String jcmd(String pid, String... command)
      throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(List.of("jcmd", pid));
    line.addAll(List.of(command));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return text;
  }

  /** The WildFly heap in use right after a full collection ({@code jcmd}), or -1. */
  private long heapAfterCollection() throws IOException, InterruptedException {
    if (serverPids().isEmpty()) {
      return -1;
    }
    long sum = 0;
    for (String pid : serverPids()) {
      jcmd(pid, "GC.run");
      Matcher used = Pattern.compile("used (\\d+)K").matcher(jcmd(pid, "GC.heap_info"));
      if (!used.find()) {
        return -1;
      }
      sum += Long.parseLong(used.group(1)) * 1024;
    }
    return sum;
  }

  /**
   * {@code streams} long streams at once; how many arrive whole with their first content within 5 s
   * (not queued behind the others).
   */
  private int capacity(Mode mode, int streams) throws Exception {
    int tokens = 200;
    String knobs = "ttft-ms=200 tokens=" + tokens + " gap-ms=100";
    int rate = Integer.parseInt(options.getOrDefault("open-rate", "100"));
    List<Long> conversations = conversations(mode, mode.conversation() ? streams : 0);
    Histogram gaps = histogram();
    List<Sample> samples = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> running = new ArrayList<>();
    // opened at a steady pace, each stream lasting ~20 s: once all are open, all are open at once
    long started = System.nanoTime();
    for (int i = 0; i < streams; i++) {
      long due = started + TimeUnit.SECONDS.toNanos(i) / rate;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      long conversation = mode.conversation() ? conversations.get(i) : 0;
      Thread stream =
          new Thread(() -> samples.add(stream(mode, conversation, knobs, Sample.into(gaps))));
      stream.start();
      running.add(stream);
    }
    for (Thread stream : running) {
      stream.join(TimeUnit.MINUTES.toMillis(5));
    }
    long fiveSeconds = TimeUnit.SECONDS.toNanos(5);
    int held =
        (int)
            samples.stream()
                .filter(
                    s ->
                        !s.failed()
                            && s.deltas() == tokens
                            && s.firstContentNanos() >= 0
                            && s.firstContentNanos() < fiveSeconds)
                .count();
    say("  " + mode + ": held " + held + " of " + streams);
    return held;
  }

  /** One stream, over a socket of its own, timed at each read. */
  private Sample stream(Mode mode, long conversation, String knobs, Sample.Gaps gaps) {
    String prompt = "bench [sim " + knobs + "]";
    String completion =
        "{\"model\":\"demo\",\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content\":\""
            + prompt
            + "\"}]}";
    if (mode == Mode.DIRECT) {
      return StreamClient.post(
          URI.create(simulator + "/chat/completions"),
          Map.of(),
          completion,
          DeltaCounter.Wire.OPENAI,
          gaps);
    }
    User user = user(mode);
    if (!mode.conversation()) {
      return StreamClient.post(
          app.resolve("/v1/chat/completions"),
          Map.of("Authorization", "Bearer " + user.apiKey()),
          completion,
          DeltaCounter.Wire.OPENAI,
          gaps);
    }
    return StreamClient.post(
        app.resolve("/api/v1/conversations/" + conversation + "/messages"),
        Map.of("Authorization", "Bearer " + user.token()),
        "{\"content\":\"" + prompt + "\"}",
        DeltaCounter.Wire.RELAY,
        gaps);
  }

  /** Time to the newest page of messages in a conversation of {@code size} messages. */
  private Histogram firstPage(int size) throws Exception {
    long conversation = conversationAsync(plain).join();
    try (Connection db =
            DriverManager.getConnection(
                required("db-url"), required("db-user"), required("db-password"));
        PreparedStatement insert =
            db.prepareStatement(
                "insert into message (id, conversation_id, owner_id, position, role, content,"
                    + " status, superseded, created_at, version)"
                    + " select nextval('message_seq'), c.id, c.owner_id, g,"
                    + " case when g % 2 = 0 then 'USER' else 'ASSISTANT' end,"
                    + " repeat('A message of some length. ', 20), 'COMPLETE', false, now(), 0"
                    + " from generate_series(0, ? - 1) g, conversation c where c.id = ?");
        PreparedStatement position =
            db.prepareStatement("update conversation set next_position = ? where id = ?")) {
      insert.setInt(1, size);
      insert.setLong(2, conversation);
      insert.executeUpdate();
      position.setInt(1, size);
      position.setLong(2, conversation);
      position.executeUpdate();
      try (var analyze = db.createStatement()) {
        analyze.execute("analyze message");
      }
    }
    Histogram times = histogram();
    URI page = app.resolve("/api/v1/conversations/" + conversation + "/messages?limit=50");
    for (int i = 0; i < 250; i++) {
      long started = System.nanoTime();
      var response =
          http.send(
              HttpRequest.newBuilder(page)
                  .header("Authorization", "Bearer " + plain.token())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200 || !response.body().contains("\"position\":9999")) {
        throw new IllegalStateException("unexpected page: " + response.statusCode());
      }
      if (i >= 50) {
        times.recordValue(System.nanoTime() - started);
      }
    }
    return times;
  }

  /**
   * Fresh bench users (a user's many conversations would otherwise slow what follows): one without
   * limits and, with {@code --limits}, one with a monthly budget and a per-minute limit, its key
   * with a per-minute limit, that every call checks, reserves in and settles, and none refuses.
   * Each keeps the API key it made first.
   */
  private void login() throws IOException, InterruptedException {
    String admin =
        accessToken(options.getOrDefault("admin-user", "admin"), required("admin-password"));
    plain = user(admin, plain, false);
    if (options.containsKey("limits")) {
      limited = user(admin, limited, true);
    }
  }

  private User user(String admin, User before, boolean limits)
      throws IOException, InterruptedException {
    String username = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    String password = UUID.randomUUID().toString();
    var created =
        post(
            "/api/v1/admin/users",
            admin,
            "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
    if (created.statusCode() != 201) {
      throw new IllegalStateException("cannot create the bench user: " + created.body());
    }
    String token = accessToken(username, password);
    if (limits) {
      Matcher id = ID.matcher(created.body());
      id.find();
      limit(admin, "ACCOUNT", id.group(1), "MONTH", 1_000_000_000_000L, null);
      limit(admin, "ACCOUNT", id.group(1), "MINUTE", null, 1_000_000_000L);
    }
    if (before != null) {
      return new User(username, password, token, before.apiKey());
    }
    var key = post("/api/v1/keys", token, "{\"name\":\"bench\"}");
    Matcher secret = Pattern.compile("\"secret\":\"([^\"]+)\"").matcher(key.body());
    if (key.statusCode() != 201 || !secret.find()) {
      throw new IllegalStateException("cannot make the bench's API key: " + key.body());
    }
    if (limits) {
      Matcher keyId = ID.matcher(key.body());
      keyId.find();
      limit(admin, "KEY", keyId.group(1), "MINUTE", null, 1_000_000_000L);
    }
    return new User(username, password, token, secret.group(1));
  }

  /**
   * New access tokens for the bench users: a run outlasts a token's lifetime (the warm-up alone may
   * take a quarter of an hour), and each window starts with tokens fresh.
   */
  private void refreshTokens() throws IOException, InterruptedException {
    plain = fresh(plain);
    limited = fresh(limited);
  }

  private User fresh(User user) throws IOException, InterruptedException {
    return user == null
        ? null
        : new User(
            user.username(),
            user.password(),
            accessToken(user.username(), user.password()),
            user.apiKey());
  }

  private User user(Mode mode) {
    return mode.limited ? limited : plain;
  }

  private void limit(
      String admin, String holder, String holderId, String period, Long tokens, Long requests)
      throws IOException, InterruptedException {
    var made =
        post(
            "/api/v1/admin/budgets",
            admin,
            "{\"holder\":\""
                + holder
                + "\",\"holderId\":"
                + holderId
                + ",\"period\":\""
                + period
                + "\",\"tokenLimit\":"
                + tokens
                + ",\"requestLimit\":"
                + requests
                + "}");
    if (made.statusCode() != 201) {
      throw new IllegalStateException("cannot set the bench's limits: " + made.body());
    }
  }

  private String accessToken(String username, String password)
      throws IOException, InterruptedException {
    return calls.accessToken(username, password);
  }

  private CompletableFuture<Long> conversationAsync(User user) {
    return http.sendAsync(
            request(
                "/api/v1/conversations",
                user.token(),
                // titled: the model is not asked to name it (a call this bench does not measure)
                "{\"model\":\"demo\",\"title\":\"bench\"}"),
            HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              Matcher id = ID.matcher(response.body());
              if (response.statusCode() != 201 || !id.find()) {
                throw new IllegalStateException("no conversation: " + response.body());
              }
              return Long.parseLong(id.group(1));
            });
  }

  private HttpResponse<String> post(String path, String bearer, String json)
      throws IOException, InterruptedException {
    return calls.post(path, bearer, json);
  }

  private HttpRequest request(String path, String bearer, String json) {
    return calls.request(path, bearer, json);
  }

  /** The server's resident memory in bytes, or -1 without --server-pid. */
  private long rss() throws IOException {
    if (serverPids().isEmpty()) {
      return -1;
    }
    long sum = 0;
    for (String pid : serverPids()) {
      for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
        if (line.startsWith("VmRSS:")) {
          sum += Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    }
    return sum;
  }

  private static String existing(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  static Histogram histogram() {
    return new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
  }

  private String required(String name) {
    return AppCalls.required(options, name);
  }

  private static void say(String text) {
    System.out.println("bench: " + text);
  }
}
