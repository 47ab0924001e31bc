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
import java.util.concurrent.Flow;
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
 *   --admin-password=... [--server-pid=N] [--db-url=... --db-user=... --db-password=...]
 *   [--out=docs/performance.md]
 * </pre>
 */
public final class Bench {

  enum Mode {
    DIRECT,
    RELAY
  }

  private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

  private final Map<String, String> options;
  private final HttpClient http;
  private final URI app;
  private final URI simulator;
  private final ExecutorService callbacks = Executors.newFixedThreadPool(4);
  private String token;

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
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      String[] pair = arg.replaceFirst("^--", "").split("=", 2);
      options.put(pair[0], pair.length == 2 ? pair[1] : "true");
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
    int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "64"));
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "6"));
    int perWorker = Integer.parseInt(options.getOrDefault("per-worker", "4"));
    String latencyKnobs = "ttft-ms=50 tokens=50 gap-ms=20";
    say("warming up");
    for (Mode mode : Mode.values()) {
      latencyRound(mode, concurrency, 3, "ttft-ms=5 tokens=20 gap-ms=5", null, null);
    }
    Map<Mode, Histogram> ttft = new HashMap<>();
    Map<Mode, Histogram> gaps = new HashMap<>();
    Map<Mode, int[]> lost = new HashMap<>();
    for (Mode mode : Mode.values()) {
      ttft.put(mode, histogram());
      gaps.put(mode, histogram());
      lost.put(mode, new int[3]);
    }
    for (int round = 0; round < rounds; round++) {
      Mode mode = round % 2 == 0 ? Mode.DIRECT : Mode.RELAY;
      say("latency round " + (round + 1) + "/" + rounds + ": " + mode + " x" + concurrency);
      List<Sample> samples =
          latencyRound(mode, concurrency, perWorker, latencyKnobs, ttft.get(mode), gaps.get(mode));
      for (Sample sample : samples) {
        lost.get(mode)[0]++;
        lost.get(mode)[1] += Math.max(0, 50 - sample.deltas());
        lost.get(mode)[2] += sample.failed() || sample.firstContentNanos() < 0 ? 1 : 0;
      }
    }
    report.latency(concurrency, latencyKnobs, ttft, gaps, lost);

    login();
    for (String level : options.getOrDefault("levels", "250,500,1000").split(",")) {
      if (level.isBlank()) {
        continue;
      }
      int streams = Integer.parseInt(level.strip());
      say("capacity: " + streams + " concurrent streams");
      Map<Mode, Integer> held = new HashMap<>();
      long rssPerStream = -1;
      for (Mode mode : Mode.values()) {
        long baseline = rss();
        var result = capacity(mode, streams);
        held.put(mode, result.held());
        if (mode == Mode.RELAY && baseline > 0 && result.rssAtPeak() > 0) {
          rssPerStream = (result.rssAtPeak() - baseline) / streams;
        }
      }
      report.capacity(streams, held, rssPerStream);
      if (held.get(Mode.RELAY) < streams / 2) {
        break;
      }
    }

    if (options.containsKey("db-url")) {
      login();
      say("first page of a 10,000-message conversation");
      report.firstPage(firstPage(10_000));
    }
    Path out = Path.of(options.getOrDefault("out", "performance.md"));
    Files.writeString(out, Report.into(existing(out), report.markdown()), StandardCharsets.UTF_8);
    say("wrote " + out.toAbsolutePath());
  }

  /** Each of {@code concurrency} workers runs {@code perWorker} streams one after another. */
  private List<Sample> latencyRound(
      Mode mode,
      int concurrency,
      int perWorker,
      String knobs,
      Histogram ttft,
      Histogram gapHistogram)
      throws Exception {
    Histogram gaps = gapHistogram == null ? histogram() : gapHistogram;
    List<CompletableFuture<List<Sample>>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      long conversation = mode == Mode.RELAY ? conversation() : 0;
      CompletableFuture<List<Sample>> chain = CompletableFuture.completedFuture(new ArrayList<>());
      for (int i = 0; i < perWorker; i++) {
        chain =
            chain.thenCompose(
                done ->
                    stream(mode, conversation, knobs, gaps)
                        .thenApply(
                            sample -> {
                              done.add(sample);
                              return done;
                            }));
      }
      workers.add(chain);
    }
    List<Sample> all = new ArrayList<>();
    for (var worker : workers) {
      all.addAll(worker.get(10, TimeUnit.MINUTES));
    }
    if (ttft != null) {
      all.stream()
          .filter(s -> s.firstContentNanos() >= 0)
          .forEach(s -> ttft.recordValue(s.firstContentNanos()));
    }
    return all;
  }

  record Capacity(int held, long rssAtPeak) {}

  /**
   * {@code streams} long streams at once; how many arrive whole, and the server's RSS meanwhile.
   */
  private Capacity capacity(Mode mode, int streams) throws Exception {
    int tokens = 200;
    String knobs = "ttft-ms=200 tokens=" + tokens + " gap-ms=100";
    int rate = Integer.parseInt(options.getOrDefault("open-rate", "100"));
    List<Long> conversations = new ArrayList<>();
    if (mode == Mode.RELAY) {
      List<CompletableFuture<Long>> created = new ArrayList<>();
      for (int i = 0; i < streams; i++) {
        created.add(conversationAsync());
        if (created.size() % 32 == 0) {
          CompletableFuture.allOf(created.toArray(CompletableFuture[]::new)).join();
        }
      }
      for (var c : created) {
        conversations.add(c.join());
      }
    }
    Histogram gaps = histogram();
    List<CompletableFuture<Sample>> running = new ArrayList<>();
    // opened at a steady pace, each stream lasting ~20 s: once all are open, all are open at once
    long started = System.nanoTime();
    for (int i = 0; i < streams; i++) {
      long due = started + TimeUnit.SECONDS.toNanos(i) / rate;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      running.add(stream(mode, mode == Mode.RELAY ? conversations.get(i) : 0, knobs, gaps));
    }
    Thread.sleep(3_000);
    long rss = mode == Mode.RELAY ? rss() : -1;
    int held = 0;
    int failed = 0;
    int late = 0;
    int partial = 0;
    Histogram firstContent = histogram();
    for (var stream : running) {
      Sample sample = stream.get(5, TimeUnit.MINUTES);
      failed += sample.failed() ? 1 : 0;
      partial += sample.deltas() < tokens ? 1 : 0;
      if (sample.firstContentNanos() >= 0) {
        firstContent.recordValue(sample.firstContentNanos());
        late += sample.firstContentNanos() >= TimeUnit.SECONDS.toNanos(5) ? 1 : 0;
      }
      // held: started within 5 s (not queued behind other streams) and arrived whole
      boolean prompt =
          sample.firstContentNanos() >= 0
              && sample.firstContentNanos() < TimeUnit.SECONDS.toNanos(5);
      if (prompt && !sample.failed() && sample.deltas() == tokens) {
        held++;
      }
    }
    say(
        String.format(
            "  %s: held %d, failed %d, incomplete %d, first content after 5 s %d;"
                + " first content p50 %d ms, max %d ms",
            mode,
            held,
            failed,
            partial,
            late,
            firstContent.getValueAtPercentile(50) / 1_000_000,
            firstContent.getMaxValue() / 1_000_000));
    return new Capacity(held, rss);
  }

  private CompletableFuture<Sample> stream(
      Mode mode, long conversation, String knobs, Histogram gaps) {
    String prompt = "bench [sim " + knobs + "]";
    HttpRequest request;
    if (mode == Mode.DIRECT) {
      request =
          HttpRequest.newBuilder(URI.create(simulator + "/chat/completions"))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"model\":\"demo\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                          + "\"content\":\""
                          + prompt
                          + "\"}]}"))
              .build();
    } else {
      request =
          HttpRequest.newBuilder(app.resolve("/api/v1/conversations/" + conversation + "/messages"))
              .header("Content-Type", "application/json")
              .header("Authorization", "Bearer " + token)
              .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"" + prompt + "\"}"))
              .build();
    }
    var result = new CompletableFuture<Sample>();
    long sent = System.nanoTime();
    var counter =
        new DeltaCounter(
            mode == Mode.DIRECT ? DeltaCounter.Wire.OPENAI : DeltaCounter.Wire.RELAY,
            sent,
            Sample.into(gaps));
    Flow.Subscriber<String> lines =
        new Flow.Subscriber<>() {
          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(String line) {
            counter.line(line, System.nanoTime());
          }

          @Override
          public void onError(Throwable throwable) {
            result.complete(new Sample(-1, counter.sample().deltas(), true));
          }

          @Override
          public void onComplete() {
            result.complete(counter.sample());
          }
        };
    http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(lines, s -> null, null))
        .whenComplete(
            (response, failure) -> {
              if (failure != null || response.statusCode() != 200) {
                result.complete(new Sample(-1, 0, true));
              }
            });
    return result;
  }

  /** Time to the newest page of messages in a conversation of {@code size} messages. */
  private Histogram firstPage(int size) throws Exception {
    long conversation = conversation();
    try (Connection db =
            DriverManager.getConnection(
                required("db-url"), required("db-user"), required("db-password"));
        PreparedStatement insert =
            db.prepareStatement(
                "insert into message (id, conversation_id, position, role, content, status,"
                    + " superseded, created_at, version)"
                    + " select nextval('message_seq'), ?, g,"
                    + " case when g % 2 = 0 then 'USER' else 'ASSISTANT' end,"
                    + " repeat('A message of some length. ', 20), 'COMPLETE', false, now(), 0"
                    + " from generate_series(0, ? - 1) g");
        PreparedStatement position =
            db.prepareStatement("update conversation set next_position = ? where id = ?")) {
      insert.setLong(1, conversation);
      insert.setInt(2, size);
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
              HttpRequest.newBuilder(page).header("Authorization", "Bearer " + token).build(),
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

  private void login() throws IOException, InterruptedException {
    String admin =
        accessToken(options.getOrDefault("admin-user", "admin"), required("admin-password"));
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
    token = accessToken(username, password);
  }

  private String accessToken(String username, String password)
      throws IOException, InterruptedException {
    var response =
        post(
            "/api/v1/auth/login",
            null,
            "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
    Matcher matcher = Pattern.compile("\"accessToken\":\"([^\"]+)\"").matcher(response.body());
    if (response.statusCode() != 200 || !matcher.find()) {
      throw new IllegalStateException("login of " + username + " failed: " + response.body());
    }
    return matcher.group(1);
  }

  private long conversation() throws IOException, InterruptedException {
    return conversationAsync().join();
  }

  private CompletableFuture<Long> conversationAsync() {
    return http.sendAsync(
            request("/api/v1/conversations", token, "{\"model\":\"demo\"}"),
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
    return http.send(request(path, bearer, json), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(String path, String bearer, String json) {
    var builder =
        HttpRequest.newBuilder(app.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (bearer != null) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    return builder.build();
  }

  /** The server's resident memory in bytes, or -1 without --server-pid. */
  private long rss() throws IOException {
    String pid = options.get("server-pid");
    if (pid == null) {
      return -1;
    }
    for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    return -1;
  }

  private static String existing(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  static Histogram histogram() {
    return new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
  }

  private String required(String name) {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  private static void say(String text) {
    System.out.println("bench: " + text);
  }
}
