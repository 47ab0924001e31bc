package com.llmchat.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible model server for tests, demos and benchmarks: {@code GET /v1/models} and
 * {@code POST /v1/chat/completions} (streaming and not), with knobs for pacing and faults ({@link
 * Knobs}) and verbatim replay of recorded {@code .sse} transcripts. Event-loop based, so thousands
 * of slow streams cost no threads.
 */
public final class Simulator implements AutoCloseable {

  /** Start options; knob defaults apply to every request that does not override them. */
  public record Options(
      String host,
      int port,
      List<String> models,
      String apiKey,
      Path replayDir,
      Knobs knobs,
      String redirectTo,
      Tls tls) {
    /** HTTPS with the key and certificate of a PKCS#12 file. */
    public record Tls(Path keyStore, String password) {}

    public static Options defaults() {
      return new Options(
          "127.0.0.1", 8089, List.of("demo"), null, null, Knobs.defaults(), null, null);
    }

    /** Serves HTTPS with the key and certificate in a PKCS#12 file. */
    public Options withTls(Path keyStore, String password) {
      return new Options(
          host, port, models, apiKey, replayDir, knobs, redirectTo, new Tls(keyStore, password));
    }

    public Options withHost(String newHost) {
      return new Options(newHost, port, models, apiKey, replayDir, knobs, redirectTo, tls);
    }

    public Options withPort(int newPort) {
      return new Options(host, newPort, models, apiKey, replayDir, knobs, redirectTo, tls);
    }

    public Options withReplayDir(Path dir) {
      return new Options(host, port, models, apiKey, dir, knobs, redirectTo, tls);
    }

    /** Only requests with this API key are served. */
    public Options withApiKey(String key) {
      return new Options(host, port, models, key, replayDir, knobs, redirectTo, tls);
    }

    /** Answers every model API request with a 307 to this base URL (for SSRF tests). */
    public Options withRedirectTo(String baseUrl) {
      return new Options(host, port, models, apiKey, replayDir, knobs, baseUrl, tls);
    }
  }

  private final Options options;
  private final Vertx vertx;
  private final HttpServer server;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong titleRequests = new AtomicLong();
  private final AtomicLong activeStreams = new AtomicLong();
  private final AtomicLong completedStreams = new AtomicLong();
  private final AtomicLong abandonedStreams = new AtomicLong();
  private final AtomicLong ids = new AtomicLong();
  // the Host header of the latest model API request
  private volatile String lastHost;
  private volatile JsonObject lastCompletion;
  private final java.util.Deque<JsonObject> recentCompletions =
      new java.util.concurrent.ConcurrentLinkedDeque<>();
  private final java.util.Map<String, Integer> attempts =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Simulator(Options options, Vertx vertx, HttpServer server) {
    this.options = options;
    this.vertx = vertx;
    this.server = server;
  }

  public static Simulator start(Options options) {
    Vertx vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors())));
    HttpServerOptions serverOptions =
        new HttpServerOptions().setHost(options.host()).setPort(options.port());
    if (options.tls() != null) {
      serverOptions
          .setSsl(true)
          .setKeyCertOptions(
              new PfxOptions()
                  .setPath(options.tls().keyStore().toString())
                  .setPassword(options.tls().password()));
    }
    HttpServer server = vertx.createHttpServer(serverOptions);
    Simulator simulator = new Simulator(options, vertx, server);
    server.requestHandler(simulator::handle);
    try {
      server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException(
          "Simulator cannot listen on " + options.host() + ":" + options.port(), e);
    }
    return simulator;
  }

  public int port() {
    return server.actualPort();
  }

  public String baseUrl() {
    return (options.tls() == null ? "http://" : "https://") + options.host() + ":" + port() + "/v1";
  }

  /** How many requests for a conversation's title arrived (not in {@link #requests}). */
  public long titleRequests() {
    return titleRequests.get();
  }

  /** How many model API requests arrived (every path but the stats; titles apart). */
  public long requests() {
    return requests.get();
  }

  public long activeStreams() {
    return activeStreams.get();
  }

  /** The Host header of the latest model API request. */
  public String lastHost() {
    return lastHost;
  }

  /** The body of the latest chat completion request, as it came. */
  /** The newest chat completion requests received, newest first (at most 100). */
  public List<JsonObject> recentCompletions() {
    return List.copyOf(recentCompletions);
  }

  public JsonObject lastCompletion() {
    return lastCompletion;
  }

  public long abandonedStreams() {
    return abandonedStreams.get();
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/sim/stats")) {
      json(request.response(), 200, stats());
      return;
    }
    // requests to the model API only; reading the stats is not one, and a chat completion counts
    // once its body tells whether it asks for a conversation's title (counted apart)
    boolean chat = request.method().name().equals("POST") && path.equals("/v1/chat/completions");
    if (!chat || options.redirectTo() != null || !authorized(request)) {
      requests.incrementAndGet();
    }
    lastHost = request.getHeader("Host");
    if (options.redirectTo() != null) {
      request
          .response()
          .setStatusCode(307)
          .putHeader("Location", options.redirectTo() + path.substring("/v1".length()))
          .end();
    } else if (!authorized(request)) {
      error(
          request.response(),
          401,
          "Incorrect API key provided",
          "invalid_request_error",
          "invalid_api_key");
    } else if (request.method().name().equals("GET") && path.equals("/v1/models")) {
      json(request.response(), 200, models());
    } else if (request.method().name().equals("POST") && path.equals("/v1/embeddings")) {
      request
          .body()
          .onSuccess(body -> embeddings(request.response(), body))
          .onFailure(e -> request.response().reset());
    } else if (request.method().name().equals("POST") && path.equals("/v1/chat/completions")) {
      request
          .body()
          .onSuccess(body -> chat(request, body))
          .onFailure(e -> request.response().reset());
    } else {
      error(request.response(), 404, "Unknown path " + path, "invalid_request_error", "not_found");
    }
  }

  private boolean authorized(HttpServerRequest request) {
    return options.apiKey() == null
        || ("Bearer " + options.apiKey()).equals(request.getHeader("Authorization"));
  }

  private JsonObject stats() {
    return new JsonObject()
        .put("requests", requests.get())
        .put("titleRequests", titleRequests.get())
        .put("activeStreams", activeStreams.get())
        .put("completedStreams", completedStreams.get())
        .put("abandonedStreams", abandonedStreams.get())
        .put("lastHost", lastHost);
  }

  private JsonObject models() {
    JsonArray data = new JsonArray();
    for (String model : options.models()) {
      data.add(
          new JsonObject()
              .put("id", model)
              .put("object", "model")
              .put("created", 1_700_000_000L)
              .put("owned_by", "llmchat-simulator"));
    }
    return new JsonObject().put("object", "list").put("data", data);
  }

  /**
   * Embeddings: a unit vector per input, the same for the same text ({@code dimensions}, default
   * 8), as floats or as base64 of little-endian float32 ({@code encoding_format}); usage counts the
   * input's words.
   */
  private void embeddings(HttpServerResponse response, Buffer body) {
    JsonObject request;
    try {
      request = body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      error(response, 400, "Invalid request: " + e.getMessage(), "invalid_request_error", null);
      return;
    }
    String model = request.getString("model");
    if (unknownModel(response, model)) {
      return;
    }
    Object input = request.getValue("input");
    List<String> texts = new ArrayList<>();
    if (input instanceof String text) {
      texts.add(text);
    } else if (input instanceof JsonArray items) {
      items.forEach(item -> texts.add(String.valueOf(item)));
    }
    if (texts.isEmpty()) {
      error(response, 400, "input is required", "invalid_request_error", null);
      return;
    }
    int dimensions = request.getInteger("dimensions", 8);
    boolean base64 = "base64".equals(request.getString("encoding_format"));
    JsonArray data = new JsonArray();
    long words = 0;
    for (int i = 0; i < texts.size(); i++) {
      float[] vector = Embeddings.of(texts.get(i), dimensions);
      words += texts.get(i).isBlank() ? 0 : texts.get(i).trim().split("\\s+").length;
      data.add(
          new JsonObject()
              .put("object", "embedding")
              .put("index", i)
              .put("embedding", base64 ? Embeddings.base64(vector) : Embeddings.json(vector)));
    }
    json(
        response,
        200,
        new JsonObject()
            .put("object", "list")
            .put("data", data)
            .put("model", model)
            .put("usage", new JsonObject().put("prompt_tokens", words).put("total_tokens", words)));
  }

  /** Answers 404 as OpenAI does when the model is not one this simulator serves. */
  private boolean unknownModel(HttpServerResponse response, String model) {
    if (model != null && options.models().contains(model)) {
      return false;
    }
    error(
        response,
        404,
        "The model `" + model + "` does not exist",
        "invalid_request_error",
        "model_not_found");
    return true;
  }

  private void chat(HttpServerRequest request, Buffer body) {
    HttpServerResponse response = request.response();
    JsonObject completion;
    Knobs knobs;
    try {
      completion = body.toJsonObject();
      recentCompletions.addFirst(completion);
      while (recentCompletions.size() > 100) {
        recentCompletions.pollLast();
      }
      if (Answer.asksForTitle(completion)) {
        titleRequests.incrementAndGet();
      } else {
        requests.incrementAndGet();
        lastCompletion = completion;
      }
      knobs =
          options.knobs().withHeaders(request.headers()).withDirective(lastUserMessage(completion));
      // image parts are read as a vision model reads them: a data URL that is no base64 is refused
      for (Object message : completion.getJsonArray("messages", new JsonArray())) {
        if (message instanceof JsonObject m) {
          Parts.images(m.getValue("content"));
        }
      }
    } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
      requests.incrementAndGet();
      error(response, 400, "Invalid request: " + e.getMessage(), "invalid_request_error", null);
      return;
    }
    if (unknownModel(response, completion.getString("model"))) {
      return;
    }
    switch (activeFault(knobs)) {
      case HTTP_429 -> {
        response.putHeader("Retry-After", "1");
        error(
            response,
            429,
            "Rate limit reached (simulated)",
            "rate_limit_error",
            "rate_limit_exceeded");
        return;
      }
      case HTTP_400 -> {
        // as vLLM refuses a prompt longer than the model's context; an explicit reply is the text
        String text =
            knobs.reply() != null
                ? knobs.reply()
                : "This model's maximum context length is 8192 tokens (simulated)";
        error(response, 400, text, "invalid_request_error", "context_length_exceeded");
        return;
      }
      case HTTP_500 -> {
        // an explicit reply is the error text: some servers echo the request (keys included) there
        String text = knobs.reply() != null ? knobs.reply() : "The server had an error (simulated)";
        error(response, 500, text, "server_error", null);
        return;
      }
      default -> {}
    }
    // a message nobody steered (no directive, no X-Sim-* header) gets the demo answer
    boolean steered =
        Knobs.hasDirective(lastUserMessage(completion))
            || request.headers().names().stream()
                .anyMatch(name -> name.toLowerCase(Locale.ROOT).startsWith(Knobs.HEADER_PREFIX));
    Answer answer =
        new Answer(
            completion,
            knobs,
            "chatcmpl-sim-" + ids.incrementAndGet(),
            !steered && !Answer.asksForTitle(completion));
    if (knobs.replay() != null) {
      replay(response, knobs);
    } else if (completion.getBoolean("stream", false)) {
      stream(response, answer);
    } else {
      vertx.setTimer(Math.max(1, knobs.ttftMs()), t -> json(response, 200, answer.whole()));
    }
  }

  /**
   * The fault for this request: with fail-times=N the HTTP faults hit only the first N requests of
   * a key (default: the last user message), so that a client's retry can succeed.
   */
  private Knobs.Fault.Kind activeFault(Knobs knobs) {
    if (knobs.failTimes() == 0) {
      return knobs.fault().kind();
    }
    String key = knobs.key() == null ? "" : knobs.key();
    int attempt = attempts.merge(key, 1, Integer::sum);
    return attempt <= knobs.failTimes() ? knobs.fault().kind() : Knobs.Fault.Kind.NONE;
  }

  private static String lastUserMessage(JsonObject completion) {
    JsonArray messages = completion.getJsonArray("messages", new JsonArray());
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonObject message = messages.getJsonObject(i);
      if ("user".equals(message.getString("role"))) {
        return Parts.text(message.getValue("content"));
      }
    }
    return null;
  }

  private void stream(HttpServerResponse response, Answer answer) {
    startEventStream(response);
    Knobs knobs = answer.knobs();
    List<String> frames = answer.frames();
    Stream stream = new Stream(response, frames, knobs);
    response.closeHandler(v -> stream.abandon());
    vertx.setTimer(Math.max(1, knobs.ttftMs()), t -> stream.next());
  }

  private void replay(HttpServerResponse response, Knobs knobs) {
    if (options.replayDir() == null) {
      error(
          response,
          400,
          "Replay needs the simulator started with --replay-dir",
          "invalid_request_error",
          null);
      return;
    }
    Path file = options.replayDir().resolve(knobs.replay() + ".sse").normalize();
    if (!file.startsWith(options.replayDir()) || !Files.isRegularFile(file)) {
      error(
          response,
          404,
          "No recorded stream named " + knobs.replay(),
          "invalid_request_error",
          null);
      return;
    }
    String recorded;
    try {
      recorded = Files.readString(file);
    } catch (IOException e) {
      error(response, 500, "Cannot read " + file + ": " + e.getMessage(), "server_error", null);
      return;
    }
    startEventStream(response);
    // split after each blank line, keeping the recorded bytes (and any missing final blank line)
    List<String> frames = new ArrayList<>();
    int from = 0;
    for (int at = recorded.indexOf("\n\n"); at >= 0; at = recorded.indexOf("\n\n", from)) {
      frames.add(recorded.substring(from, at + 2));
      from = at + 2;
    }
    if (from < recorded.length()) {
      frames.add(recorded.substring(from));
    }
    Stream stream =
        new Stream(
            response,
            frames,
            new Knobs(
                knobs.ttftMs(),
                frames.size(),
                knobs.gapMs(),
                knobs.jitterMs(),
                knobs.usage(),
                0,
                null,
                knobs.replay(),
                Knobs.Fault.NONE,
                0,
                null,
                0,
                false));
    response.closeHandler(v -> stream.abandon());
    vertx.setTimer(Math.max(1, knobs.ttftMs()), t -> stream.next());
  }

  private void startEventStream(HttpServerResponse response) {
    activeStreams.incrementAndGet();
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache");
  }

  /** Writes prepared frames one timer tick apart, applying the fault when its chunk comes. */
  private final class Stream {
    private final HttpServerResponse response;
    private final List<String> frames;
    private final Knobs knobs;
    private int sent;
    private boolean over;

    Stream(HttpServerResponse response, List<String> frames, Knobs knobs) {
      this.response = response;
      this.frames = frames;
      this.knobs = knobs;
    }

    void next() {
      if (over) {
        return;
      }
      Knobs.Fault fault = knobs.fault();
      if (fault.kind() != Knobs.Fault.Kind.NONE && sent == fault.afterChunks()) {
        switch (fault.kind()) {
          case RESET -> {
            finish(false);
            response.reset();
            return;
          }
          case STALL -> {
            return; // keep the connection open and silent until the client leaves
          }
          case ERROR -> {
            response.write(
                "data: {\"error\":{\"message\":\"Simulated failure in the middle of the stream\","
                    + "\"type\":\"server_error\",\"code\":\"simulated_error\"}}\n\n");
            finish(true);
            response.end();
            return;
          }
          case MALFORMED ->
              response.write("data: {\"choices\":[{\"delta\":{\"content\":\"unterminated\n\n");
          default -> {}
        }
      }
      if (sent >= frames.size()) {
        finish(true);
        response.end();
        return;
      }
      response.write(frames.get(sent++));
      long jitter = knobs.jitterMs() == 0 ? 0 : (long) (Math.random() * (knobs.jitterMs() + 1));
      vertx.setTimer(Math.max(1, knobs.gapMs() + jitter), t -> next());
    }

    void abandon() {
      if (!over) {
        abandonedStreams.incrementAndGet();
        finish(false);
      }
    }

    private void finish(boolean completed) {
      if (!over) {
        over = true;
        activeStreams.decrementAndGet();
        if (completed) {
          completedStreams.incrementAndGet();
        }
      }
    }
  }

  private static void json(HttpServerResponse response, int status, JsonObject body) {
    if (!response.closed()) {
      response
          .setStatusCode(status)
          .putHeader("Content-Type", "application/json")
          .end(body.encode());
    }
  }

  private static void error(
      HttpServerResponse response, int status, String message, String type, String code) {
    json(
        response,
        status,
        new JsonObject()
            .put(
                "error",
                new JsonObject()
                    .put("message", message)
                    .put("type", type)
                    .put("param", null)
                    .put("code", code)));
  }

  public static void main(String[] args) {
    Options options = CommandLine.parse(args);
    Simulator simulator = start(options);
    System.out.println(
        "LLM simulator listening on "
            + simulator.baseUrl()
            + " (models: "
            + String.join(", ", options.models())
            + ")");
    Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
  }
}
