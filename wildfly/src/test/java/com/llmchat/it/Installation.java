package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * An installation of its own, started with the launcher as an operator would: its data dir under
 * {@code folder}, its ports, a database of its own on the test run's PostgreSQL, the test run's
 * simulator. For the tests that kill, restart or start a server differently.
 */
final class Installation implements AutoCloseable {

  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, String> environment = new HashMap<>();
  private final Path folder;
  private final String database;
  private final String adminPassword = "Own-" + UUID.randomUUID();
  private final String api;
  private final int port;

  /** {@code settings}: the installation's own {@code LLMCHAT_*} (and other) variables. */
  Installation(Path folder, Map<String, String> settings) throws Exception {
    this.folder = folder;
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    database = "own_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection db = Platform.database()) {
      db.createStatement().execute("create database " + database);
    }
    port = freePort();
    api = "http://127.0.0.1:" + port + "/api/v1";
    environment.putAll(
        Map.of(
            "LLMCHAT_DATA_DIR", folder.resolve("data").toString(),
            "LLMCHAT_HTTP_PORT", String.valueOf(port),
            "LLMCHAT_MANAGEMENT_PORT", String.valueOf(freePort()),
            "LLMCHAT_DB_URL", databaseUrl(),
            "LLMCHAT_DB_USER", Platform.requiredEnv("LLMCHAT_DB_USER"),
            "LLMCHAT_DB_PASSWORD", Platform.requiredEnv("LLMCHAT_DB_PASSWORD"),
            "LLMCHAT_LLM_URL", Platform.requiredEnv("LLMCHAT_LLM_URL"),
            "LLMCHAT_LLM_MODEL", "demo",
            "LLMCHAT_ADMIN_PASSWORD", Secrets.remember(adminPassword),
            "LLMCHAT_STREAM_HEARTBEAT_SECONDS", "1"));
    environment.putAll(settings);
  }

  /** {@code bin/llmchat COMMAND...} for this installation; its output when it fails. */
  void launcher(String... command) throws Exception {
    List<String> line = new ArrayList<>();
    line.add(Platform.requiredEnv("LLMCHAT_LAUNCHER"));
    line.addAll(List.of(command));
    ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("LLMCHAT_"));
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), output);
    assertEquals(0, process.exitValue(), output);
  }

  /** The server's process id while it runs. */
  long serverPid() throws Exception {
    return Long.parseLong(Files.readString(folder.resolve("data/run/wildfly.pid")).strip());
  }

  /** The process id of server {@code node} of a cluster ({@code bin/llmchat cluster start}). */
  long nodePid(int node) throws Exception {
    return Long.parseLong(
        Files.readString(folder.resolve("data/run/node-" + node + ".pid")).strip());
  }

  /** The address the installation is reached at: nginx's in front of a cluster. */
  String front() {
    return "http://127.0.0.1:" + port;
  }

  /** The address of server {@code node} of a cluster itself, without nginx. */
  String node(int node) {
    return "http://127.0.0.1:" + (port + node);
  }

  /** The administrator's password (set by the installation, not a one-time one). */
  String adminPassword() {
    return adminPassword;
  }

  Path serverLog() {
    return folder.resolve("data/wildfly/log/server.log");
  }

  /** A connection to the installation's own database. */
  Connection database() throws Exception {
    return DriverManager.getConnection(
        databaseUrl(),
        Platform.requiredEnv("LLMCHAT_DB_USER"),
        Platform.requiredEnv("LLMCHAT_DB_PASSWORD"));
  }

  /** The administrator's access token. */
  String login() throws Exception {
    var answer =
        call(
            "/auth/login",
            null,
            "{\"username\":\"admin\",\"password\":" + Api.q(adminPassword) + "}");
    assertEquals(200, answer.statusCode(), answer.body());
    return Json.object(answer.body()).getString("accessToken");
  }

  /**
   * A conversation with the demo model, titled: the model is not asked to name it after its first
   * reply (an extra call the crash test's exact accounting of replies would count).
   */
  long conversation(String token) throws Exception {
    var answer = call("/conversations", token, "{\"model\":\"demo\",\"title\":\"Crash test\"}");
    assertEquals(201, answer.statusCode(), answer.body());
    return Json.object(answer.body()).getJsonNumber("id").longValue();
  }

  /** Sends a message and reads its reply stream to the end, telling {@code onEvent} each event. */
  void send(String token, long conversation, String content, BiConsumer<String, String> onEvent)
      throws Exception {
    send(api, token, conversation, content, onEvent);
  }

  /** The same through the API at {@code api}: one server of a cluster, say. */
  void send(
      String api,
      String token,
      long conversation,
      String content,
      BiConsumer<String, String> onEvent)
      throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(api + "/conversations/" + conversation + "/messages"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString("{\"content\":" + Api.q(content) + "}"))
            .build();
    HttpResponse<java.util.stream.Stream<String>> answer =
        http.send(request, HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, answer.statusCode());
    String[] event = {""};
    answer
        .body()
        .forEach(
            line -> {
              if (line.startsWith("event: ")) {
                event[0] = line.substring(7);
              } else if (line.startsWith("data: ")) {
                onEvent.accept(event[0], line.substring(6));
              }
            });
  }

  /** Stops the server and drops the database. */
  @Override
  public void close() throws Exception {
    try {
      if (Files.isDirectory(folder.resolve("data/cluster"))) {
        launcher("cluster", "stop");
      } else {
        launcher("stop");
      }
    } finally {
      try (Connection db = Platform.database()) {
        db.createStatement().execute("drop database if exists " + database + " with (force)");
      }
    }
  }

  private HttpResponse<String> call(String path, String token, String json) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(api + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String databaseUrl() {
    String url = Platform.requiredEnv("LLMCHAT_DB_URL");
    return url.substring(0, url.lastIndexOf('/') + 1) + database;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
