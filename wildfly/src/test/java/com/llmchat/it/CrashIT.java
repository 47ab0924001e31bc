package com.llmchat.it;

import static org.awaitility.Awaitility.await;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9: an installation of its own (the launcher, a database of its own on the test run's
 * PostgreSQL) is killed while 20 replies stream and after 50 completed. After the restart every
 * completed reply is there and whole, every reply that was in flight is interrupted, nothing is
 * duplicated, the usage ledger matches the stored replies, and the conversations hit by the crash
 * take new messages at once.
 */
class CrashIT extends DeployedEar {

  private static final int COMPLETED = 50;
  private static final int IN_FLIGHT = 20;

  @TempDir Path temp;

  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, String> installation = new HashMap<>();
  private String api;

  @Test
  void killingTheServerLosesNothingThatWasStoredAndLeavesNothingHalfDone() throws Exception {
    Platform.simulator();
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    String database = "crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection db = Platform.database()) {
      db.createStatement().execute("create database " + database);
    }
    int port = freePort();
    api = "http://127.0.0.1:" + port + "/api/v1";
    String adminPassword = "Crash-" + UUID.randomUUID();
    installation.putAll(
        Map.of(
            "LLMCHAT_DATA_DIR", temp.resolve("data").toString(),
            "LLMCHAT_HTTP_PORT", String.valueOf(port),
            "LLMCHAT_MANAGEMENT_PORT", String.valueOf(freePort()),
            "LLMCHAT_DB_URL", otherDatabase(database),
            "LLMCHAT_DB_USER", Platform.requiredEnv("LLMCHAT_DB_USER"),
            "LLMCHAT_DB_PASSWORD", Platform.requiredEnv("LLMCHAT_DB_PASSWORD"),
            "LLMCHAT_LLM_URL", Platform.requiredEnv("LLMCHAT_LLM_URL"),
            "LLMCHAT_LLM_MODEL", "demo",
            "LLMCHAT_ADMIN_PASSWORD", Secrets.remember(adminPassword),
            "LLMCHAT_STREAM_HEARTBEAT_SECONDS", "1"));
    try {
      launcher("run");
      String token = login(adminPassword);

      Map<Long, String> completed = new HashMap<>();
      for (int i = 0; i < COMPLETED; i++) {
        long conversation = conversation(token);
        String reply = send(token, conversation, "Done " + i + " [sim tokens=3 gap-ms=1]", null);
        completed.put(conversation, reply);
      }

      // 20 long replies, each seen streaming, then the server dies under them
      Map<Long, AtomicInteger> inFlight = new ConcurrentHashMap<>();
      List<Thread> readers = new ArrayList<>();
      for (int i = 0; i < IN_FLIGHT; i++) {
        long conversation = conversation(token);
        AtomicInteger deltas = new AtomicInteger();
        inFlight.put(conversation, deltas);
        Thread reader =
            new Thread(
                () -> {
                  try {
                    send(token, conversation, "Long [sim tokens=400 gap-ms=50]", deltas);
                  } catch (Exception cutOff) {
                    // the server was killed: expected
                  }
                });
        reader.start();
        readers.add(reader);
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> inFlight.values().stream().allMatch(d -> d.get() >= 2));
      long pid = Long.parseLong(Files.readString(temp.resolve("data/run/wildfly.pid")).strip());
      ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
      new ProcessBuilder("kill", "-9", String.valueOf(pid)).start().waitFor(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(30)).until(() -> !server.isAlive());
      for (Thread reader : readers) {
        reader.join(30_000);
      }

      launcher("run");
      String afterRestart = login(adminPassword);

      try (Connection db =
          DriverManager.getConnection(
              otherDatabase(database),
              Platform.requiredEnv("LLMCHAT_DB_USER"),
              Platform.requiredEnv("LLMCHAT_DB_PASSWORD"))) {
        for (var done : completed.entrySet()) {
          assertEquals(
              "COMPLETE", one(db, lastReply(done.getKey(), "status")), "reply of " + done.getKey());
          assertEquals(done.getValue(), one(db, lastReply(done.getKey(), "content")));
        }
        for (long conversation : inFlight.keySet()) {
          assertEquals(
              "INTERRUPTED",
              one(db, lastReply(conversation, "status")),
              "in flight " + conversation);
        }
        assertEquals("0", one(db, "select count(*) from message where status = 'STREAMING'"));
        assertEquals(
            "0",
            one(
                db,
                "select count(*) from (select conversation_id from message where not superseded"
                    + " group by conversation_id having count(*) <> 2) as odd"),
            "every conversation has its question and one reply, no more");
        // one ledger row per stored reply, with the reply's own counts; none for a reply that never
        // finished (it generated for nobody once its server was gone)
        assertEquals(
            String.valueOf(COMPLETED), one(db, "select count(*) from usage_record"), "ledger rows");
        assertEquals(
            "0",
            one(
                db,
                "select count(*) from message m where m.status = 'COMPLETE' and m.role = 'ASSISTANT'"
                    + " and not exists (select 1 from usage_record u where u.message_id = m.id"
                    + " and u.completion_tokens = m.completion_tokens)"),
            "every complete reply has its ledger row, with the same tokens");
      }

      // the conversations hit by the crash take a new message at once
      for (long conversation : inFlight.keySet()) {
        assertTrue(
            send(afterRestart, conversation, "Again [sim tokens=2 gap-ms=1]", null).length() > 0,
            "conversation " + conversation);
      }
    } finally {
      launcher("stop");
      try (Connection db = Platform.database()) {
        db.createStatement().execute("drop database if exists " + database + " with (force)");
      }
    }
  }

  private static String lastReply(long conversation, String column) {
    return "select "
        + column
        + " from message where conversation_id = "
        + conversation
        + " and role = 'ASSISTANT' and not superseded order by position desc limit 1";
  }

  private static String one(Connection db, String sql) throws Exception {
    try (var rows = db.createStatement().executeQuery(sql)) {
      assertTrue(rows.next(), sql);
      return rows.getString(1);
    }
  }

  private String login(String password) throws Exception {
    var answer =
        call("/auth/login", null, "{\"username\":\"admin\",\"password\":" + Api.q(password) + "}");
    assertEquals(200, answer.statusCode(), answer.body());
    return Json.object(answer.body()).getString("accessToken");
  }

  private long conversation(String token) throws Exception {
    var answer = call("/conversations", token, "{\"model\":\"demo\"}");
    assertEquals(201, answer.statusCode(), answer.body());
    return Json.object(answer.body()).getJsonNumber("id").longValue();
  }

  /** Sends a message and reads its reply stream to the end; the stored reply's text. */
  private String send(String token, long conversation, String content, AtomicInteger deltas)
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
    String[] reply = {null};
    answer
        .body()
        .forEach(
            line -> {
              if (line.startsWith("event: ")) {
                event[0] = line.substring(7);
              } else if (line.startsWith("data: ")) {
                if (event[0].equals("delta") && deltas != null) {
                  deltas.incrementAndGet();
                } else if (event[0].equals("done")) {
                  reply[0] =
                      Json.object(line.substring(6)).getJsonObject("reply").getString("content");
                }
              }
            });
    assertTrue(reply[0] != null, "no done event");
    return reply[0];
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

  private void launcher(String command) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(Platform.requiredEnv("LLMCHAT_LAUNCHER"), command)
            .redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("LLMCHAT_"));
    builder.environment().putAll(installation);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), output);
    assertEquals(0, process.exitValue(), output);
  }

  private static String otherDatabase(String name) {
    String url = Platform.requiredEnv("LLMCHAT_DB_URL");
    return url.substring(0, url.lastIndexOf('/') + 1) + name;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
