package com.llmchat.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Keycloak (the Quarkus distribution from Maven Central, unpacked by the build into
 * target/keycloak) in development mode on a free loopback port, with an in-memory database and the
 * realms of src/test/resources/keycloak imported at start: {@code staff} (the client {@code
 * llmchat}, people in groups) and {@code other}. Keycloak needs Java 21 or later: the newest JDK in
 * /usr/lib/jvm is used (or {@code -Dkeycloak.java.home}). Started once per test JVM.
 */
final class Keycloak {

  private static Keycloak running;

  final int port;
  final String password;
  final String secret;
  private final Process process;

  private Keycloak(int port, String password, String secret, Process process) {
    this.port = port;
    this.password = password;
    this.secret = secret;
    this.process = process;
  }

  static synchronized Keycloak start() throws Exception {
    if (running != null) {
      return running;
    }
    Path home;
    try (Stream<Path> unpacked = Files.list(Path.of(Platform.required("keycloak.dir")))) {
      home =
          unpacked
              .filter(dir -> Files.isRegularFile(dir.resolve("bin/kc.sh")))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no Keycloak in keycloak.dir"));
    }
    String password = Secrets.remember("Sso-" + UUID.randomUUID());
    String secret = Secrets.remember("Client-" + UUID.randomUUID());
    Path imports = home.resolve("data/import");
    Files.createDirectories(imports);
    for (String realm : List.of("staff-realm.json", "other-realm.json")) {
      Files.writeString(
          imports.resolve(realm),
          resource(realm)
              .replace("@PASSWORD@", password)
              .replace("@SECRET@", secret)
              .replace("@APP@", Platform.APP));
    }
    int port = freePort();
    int management = freePort();
    ProcessBuilder builder =
        new ProcessBuilder(
                home.resolve("bin/kc.sh").toString(),
                "start-dev",
                "--http-host=127.0.0.1",
                "--http-port=" + port,
                "--http-management-port=" + management,
                "--db=dev-mem",
                "--import-realm",
                "--health-enabled=true")
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("keycloak.log").toFile());
    Map<String, String> environment = builder.environment();
    environment.put("JAVA_HOME", javaHome().toString());
    environment.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx768m");
    Process process = builder.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  process.descendants().forEach(ProcessHandle::destroy);
                  process.destroy();
                }));
    Keycloak keycloak = new Keycloak(port, password, secret, process);
    keycloak.awaitReady(home.resolve("keycloak.log"));
    running = keycloak;
    return keycloak;
  }

  /** The newest JDK of 21 or later: Keycloak does not run on 17. */
  static Path javaHome() throws IOException {
    String chosen = System.getProperty("keycloak.java.home");
    if (chosen != null && !chosen.isBlank()) {
      return Path.of(chosen);
    }
    List<Path> candidates = new ArrayList<>();
    try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
      jdks.filter(dir -> Files.isExecutable(dir.resolve("bin/java")))
          .filter(dir -> feature(dir) >= 21)
          .forEach(candidates::add);
    }
    return candidates.stream()
        .max((a, b) -> Integer.compare(feature(a), feature(b)))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "Keycloak needs a JDK 21 or later in /usr/lib/jvm (or -Dkeycloak.java.home)"));
  }

  private static int feature(Path jdk) {
    try {
      for (String line : Files.readAllLines(jdk.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          return Integer.parseInt(version.split("[.+-]")[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = Keycloak.class.getResourceAsStream("/keycloak/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private void awaitReady(Path log) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
    URI discovery = URI.create(issuer("other") + "/.well-known/openid-configuration");
    while (true) {
      try {
        HttpResponse<String> response =
            Platform.HTTP.send(
                HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("Keycloak did not start: " + Files.readString(log));
      }
      Thread.sleep(500);
    }
  }

  String issuer(String realm) {
    return "http://127.0.0.1:" + port + "/realms/" + realm;
  }

  /** An ID token for the person and client, straight from the token endpoint (password grant). */
  String idToken(String realm, String clientId, String username) throws Exception {
    Map<String, String> form =
        Map.of(
            "grant_type", "password",
            "client_id", clientId,
            "client_secret", secret,
            "username", username,
            "password", password,
            "scope", "openid");
    HttpResponse<String> response =
        Platform.HTTP.send(
            HttpRequest.newBuilder(URI.create(issuer(realm) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        form.entrySet().stream()
                            .map(
                                e ->
                                    e.getKey()
                                        + "="
                                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                            .collect(Collectors.joining("&"))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("password grant: " + response.body());
    }
    return Json.object(response.body()).getString("id_token");
  }
}
