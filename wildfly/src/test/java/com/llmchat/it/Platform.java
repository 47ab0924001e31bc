package com.llmchat.it;

import com.llmchat.simulator.Simulator;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.OperationBuilder;
import org.jboss.dmr.ModelNode;

/** The platform under test: the real EAR on the provisioned WildFly, and how to reach it. */
final class Platform {

  static final String APP = "http://127.0.0.1:8180";
  static final String MANAGEMENT = "http://127.0.0.1:10090";
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static Simulator simulator;
  private static boolean deployed;

  private Platform() {}

  /**
   * Deploys the EAR exactly as the build produced it, once per test run, as an operator would (the
   * first test class deploys it; the classes after it share it, with everything it keeps in
   * memory). Replaces a deployment of the same name left by an earlier run.
   */
  static synchronized void deployOnce() throws IOException {
    if (deployed) {
      return;
    }
    URI management = URI.create(MANAGEMENT);
    try (ModelControllerClient client =
            ModelControllerClient.Factory.create(management.getHost(), management.getPort());
        InputStream ear = java.nio.file.Files.newInputStream(Path.of(required("llmchat.ear")))) {
      ModelNode names = new ModelNode();
      names.get("operation").set("read-children-names");
      names.get("child-type").set("deployment");
      boolean present =
          client.execute(names).get("result").asList().stream()
              .anyMatch(name -> name.asString().equals("llmchat.ear"));
      // one left by an earlier run is replaced; else added and deployed
      ModelNode deploy = new ModelNode();
      if (present) {
        deploy.get("operation").set("full-replace-deployment");
        deploy.get("name").set("llmchat.ear");
      } else {
        deploy.get("operation").set("add");
        deploy.get("address").add("deployment", "llmchat.ear");
      }
      deploy.get("enabled").set(true);
      deploy.get("content").add().get("input-stream-index").set(0);
      ModelNode outcome = client.execute(new OperationBuilder(deploy).addInputStream(ear).build());
      if (!"success".equals(outcome.get("outcome").asString())) {
        throw new IllegalStateException("The EAR could not be deployed: " + outcome);
      }
    }
    deployed = true;
  }

  /** The data dir the server under test uses (bin/llmchat test creates it). */
  static Path dataDir() {
    return Path.of(requiredEnv("LLMCHAT_DATA_DIR"));
  }

  /** The model server simulator, started once on the port WildFly was told about. */
  static synchronized Simulator simulator() {
    if (simulator == null) {
      int port = Integer.parseInt(requiredEnv("LLMCHAT_SIMULATOR_PORT"));
      simulator =
          Simulator.start(
              Simulator.Options.defaults()
                  .withPort(port)
                  .withReplayDir(
                      Path.of(required("llmchat.recordings")).toAbsolutePath().normalize()));
      Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
    }
    return simulator;
  }

  /**
   * Another simulator, started for one test: on 127.0.0.2 (the one private address users' own
   * providers may reach in the test run, LLMCHAT_USER_PROVIDER_NETWORKS) or 127.0.0.1, requiring an
   * API key or redirecting when asked. Closed when the test JVM ends.
   */
  static Simulator extraSimulator(String host, String apiKey, String redirectTo) {
    var options =
        Simulator.Options.defaults()
            .withHost(host)
            .withPort(0)
            .withApiKey(apiKey)
            .withRedirectTo(redirectTo);
    Simulator extra = Simulator.start(options);
    Runtime.getRuntime().addShutdownHook(new Thread(extra::close));
    return extra;
  }

  /**
   * A simulator serving HTTPS on 127.0.0.1 with a certificate for the name {@code localhost} only,
   * which the server under test trusts (LLMCHAT_LLM_CA_FILE); closed when the test JVM ends.
   */
  static Simulator tlsSimulator() {
    Simulator tls =
        Simulator.start(
            Simulator.Options.defaults()
                .withPort(0)
                .withTls(
                    Path.of(requiredEnv("LLMCHAT_TEST_TLS_KEYSTORE")),
                    requiredEnv("LLMCHAT_TEST_TLS_PASSWORD")));
    Runtime.getRuntime().addShutdownHook(new Thread(tls::close));
    return tls;
  }

  /** A connection to the database of the server under test. */
  static java.sql.Connection database() throws java.sql.SQLException {
    return java.sql.DriverManager.getConnection(
        requiredEnv("LLMCHAT_DB_URL"),
        requiredEnv("LLMCHAT_DB_USER"),
        requiredEnv("LLMCHAT_DB_PASSWORD"));
  }

  /** The first column of the first row of a query. */
  static String queryOne(String sql, Object... parameters) throws java.sql.SQLException {
    try (var db = database();
        var statement = db.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (var rows = statement.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }

  static int update(String sql, Object... parameters) throws java.sql.SQLException {
    try (var db = database();
        var statement = db.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      return statement.executeUpdate();
    }
  }

  /** A statistic of a simulator ({@code requests}, {@code activeStreams}, ...). */
  static long stat(Simulator simulator, String name) throws IOException, InterruptedException {
    String stats = get(simulator.baseUrl().replace("/v1", "/sim/stats"), null).body();
    return Json.object(stats).getJsonNumber(name).longValue();
  }

  static HttpResponse<String> get(String url, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest.Builder json(String url, String token) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token);
  }

  static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException(
          "system property " + property + " is not set (run through Maven)");
    }
    return value;
  }

  static String requiredEnv(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          name + " is not set: run the system tests with ./bin/llmchat test");
    }
    return value;
  }

  /** The management interface's readiness: 200 UP, 503 DOWN. */
  static int readyStatus() throws IOException, InterruptedException {
    return get(MANAGEMENT + "/health/ready", null).statusCode();
  }

  /** {@code bin/llmchat ARGS} for this test installation; it must succeed within 90 s. */
  static void launcher(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = requiredEnv("LLMCHAT_LAUNCHER");
    System.arraycopy(args, 0, command, 1, args.length);
    Process process = new ProcessBuilder(command).inheritIO().start();
    org.junit.jupiter.api.Assertions.assertTrue(
        process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS), "launcher timed out");
    org.junit.jupiter.api.Assertions.assertEquals(
        0, process.exitValue(), String.join(" ", command));
  }
}
