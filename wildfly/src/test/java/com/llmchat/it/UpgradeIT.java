package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An installation made from this build's bundle (install.sh), upgraded with {@code bin/llmchat
 * upgrade}: to a bundle of the same build (the data stays, the server answers), then to a broken
 * one whose application cannot deploy (rolled back: the previous program runs again, with the
 * data). A separate installation on ports of its own, next to the server under test.
 */
class UpgradeIT extends DeployedEar {

  @TempDir Path temp;

  private final Map<String, String> installation = new HashMap<>();
  private String api;

  record Run(int exit, String output) {}

  @Test
  void anUpgradeKeepsTheDataAndAFailedOneRollsBackToThePreviousVersion() throws Exception {
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path bundle = temp.resolve("llmchat.tar.gz");
    Run made = run(List.of(Platform.requiredEnv("LLMCHAT_LAUNCHER"), "bundle", bundle.toString()));
    assertEquals(0, made.exit(), made.output());

    int http = freePort();
    installation.put("LLMCHAT_HTTP_PORT", String.valueOf(http));
    installation.put("LLMCHAT_MANAGEMENT_PORT", String.valueOf(freePort()));
    installation.put("LLMCHAT_DB_PORT", String.valueOf(freePort()));
    installation.put("LLMCHAT_SIMULATOR_PORT", String.valueOf(freePort()));
    api = "http://127.0.0.1:" + http + "/api/v1";
    Path prefix = temp.resolve("app");
    Path unpacked = Files.createDirectory(temp.resolve("unpacked"));
    assertEquals(
        0, run(List.of("tar", "-C", unpacked.toString(), "-xzf", bundle.toString())).exit());
    Path installer;
    try (var found = Files.list(unpacked)) {
      installer = found.findFirst().orElseThrow().resolve("install.sh");
    }
    Map<String, String> install = new HashMap<>(installation);
    install.putAll(
        Map.of(
            "LLMCHAT_INSTALL_YES", "1",
            "LLMCHAT_PREFIX", prefix.toString(),
            "LLMCHAT_SYSTEMD", "no"));
    Run installed = run(List.of("bash", installer.toString()), install);
    try {
      assertEquals(0, installed.exit(), () -> installed.output() + serverLog(prefix));
      Matcher oneTime =
          Pattern.compile("user admin  password ([A-Za-z0-9]+)").matcher(installed.output());
      assertTrue(oneTime.find(), installed.output());
      String password = "Upgrade-" + java.util.UUID.randomUUID();
      String token = login("admin", oneTime.group(1));
      token =
          Json.object(
                  call(
                      "PUT",
                      "/auth/password",
                      token,
                      "{\"currentPassword\":"
                          + Api.q(oneTime.group(1))
                          + ",\"newPassword\":"
                          + Api.q(password)
                          + "}"))
              .getString("accessToken");
      long conversation =
          Json.object(call("POST", "/conversations", token, "{\"model\":\"demo\"}"))
              .getJsonNumber("id")
              .longValue();
      String reply =
          call(
              "POST",
              "/conversations/" + conversation + "/messages",
              token,
              "{\"content\":\"Remember me [sim tokens=4 gap-ms=5]\"}");
      assertTrue(reply.contains("event: done"), reply);
      String before = messages(login("admin", password), conversation);

      String launcher = prefix.resolve("bin/llmchat").toString();
      Run upgraded = run(List.of(launcher, "upgrade", bundle.toString()), installation);
      assertEquals(0, upgraded.exit(), () -> upgraded.output() + serverLog(prefix));
      assertTrue(upgraded.output().contains("Upgraded."), upgraded.output());
      assertEquals(before, messages(login("admin", password), conversation));

      Path broken = brokenCopyOf(bundle);
      Run failed = run(List.of(launcher, "upgrade", broken.toString()), installation);
      assertNotEquals(0, failed.exit(), failed.output());
      assertTrue(failed.output().contains("rolled back"), failed.output());
      assertEquals(before, messages(login("admin", password), conversation));
      try (var kept = Files.list(prefix)) {
        assertTrue(
            kept.anyMatch(path -> path.getFileName().toString().startsWith(".failed-")),
            "the failed version is kept aside");
      }
    } finally {
      run(List.of(prefix.resolve("bin/llmchat").toString(), "stop"), installation);
    }
  }

  /** The installation's server log: its errors, for a failure message. */
  private static String serverLog(Path prefix) {
    try {
      return "\n--- server.log errors:\n"
          + String.join(
              "\n",
              Files.readAllLines(prefix.resolve(".llmchat/wildfly/log/server.log")).stream()
                  .filter(line -> line.contains("ERROR") || line.contains("Caused by"))
                  .limit(40)
                  .toList());
    } catch (java.io.IOException e) {
      try {
        return "\n(no server.log: "
            + e
            + ")\n--- server.out:\n"
            + Files.readString(prefix.resolve(".llmchat/logs/server.out"));
      } catch (java.io.IOException again) {
        return "\n(no server.log, no server.out: " + again + ")";
      }
    }
  }

  /** The same bundle, with an application that cannot deploy. */
  private Path brokenCopyOf(Path bundle) throws Exception {
    Path work = Files.createDirectory(temp.resolve("broken"));
    assertEquals(0, run(List.of("tar", "-C", work.toString(), "-xzf", bundle.toString())).exit());
    Path top;
    try (var found = Files.list(work)) {
      top = found.findFirst().orElseThrow();
    }
    Files.writeString(top.resolve("wildfly/target/llmchat.ear"), "not an application");
    Path broken = temp.resolve("broken.tar.gz");
    assertEquals(
        0,
        run(List.of(
                "tar",
                "-C",
                work.toString(),
                "-czf",
                broken.toString(),
                top.getFileName().toString()))
            .exit());
    return broken;
  }

  private String messages(String token, long conversation) throws Exception {
    return call("GET", "/conversations/" + conversation + "/messages", token, null);
  }

  private String login(String username, String password) throws Exception {
    return Json.object(
            call(
                "POST",
                "/auth/login",
                null,
                "{\"username\":" + Api.q(username) + ",\"password\":" + Api.q(password) + "}"))
        .getString("accessToken");
  }

  private String call(String method, String path, String token, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api + path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        Platform.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(response.statusCode() < 300, method + " " + path + ": " + response.body());
    return response.body();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private Run run(List<String> command) throws Exception {
    return run(command, null);
  }

  /** A command with the test run's LLMCHAT_* settings removed and {@code settings} added. */
  private Run run(List<String> command, Map<String, String> settings) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    if (settings != null) {
      builder.environment().keySet().removeIf(name -> name.startsWith("LLMCHAT_"));
      builder.environment().putAll(settings);
    }
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(10, TimeUnit.MINUTES), output);
    return new Run(process.exitValue(), output);
  }
}
