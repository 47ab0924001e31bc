package com.llmchat.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container's entrypoint, run outside Docker: secret files, required settings, the start. */
class EntrypointTest {

  private static final Path DOCKER = Path.of("../docker");
  private static final Path ENTRYPOINT = DOCKER.resolve("entrypoint.sh");

  @TempDir Path temp;
  private Path data;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void dataDir() throws IOException {
    data = Files.createDirectory(temp.resolve("data"));
  }

  private Run run(Map<String, String> settings, String... command)
      throws IOException, InterruptedException {
    List<String> line = new ArrayList<>(List.of("sh", ENTRYPOINT.toString()));
    line.addAll(List.of(command));
    ProcessBuilder builder = new ProcessBuilder(line);
    builder
        .environment()
        .keySet()
        .removeIf(
            name ->
                name.startsWith("LLMCHAT_")
                    || List.of("JAVA_OPTS", "JAVA_OPTS_APPEND", "JBOSS_JAVA_SIZING")
                        .contains(name));
    builder.environment().put("LLMCHAT_DATA_DIR", data.toString());
    builder.environment().putAll(settings);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.waitFor(), out, err);
  }

  private Path secret(String name, String content) throws IOException {
    Path file = temp.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  @Test
  void aSecretFileBecomesTheVariableAndTheFileVariableGoes() throws Exception {
    Path password = secret("db_password", "s3cret-from-file\n");
    Run run =
        run(
            Map.of(
                "LLMCHAT_DB_URL", "jdbc:postgresql://postgres:5432/llmchat",
                "LLMCHAT_DB_PASSWORD_FILE", password.toString(),
                "LLMCHAT_JWT_PRIVATE_KEY_FILE", "/run/secrets/jwt.pem"),
            "env");
    assertEquals(0, run.exit(), run.err());
    assertTrue(
        run.out().lines().anyMatch("LLMCHAT_DB_PASSWORD=s3cret-from-file"::equals), run.out());
    assertFalse(run.out().contains("LLMCHAT_DB_PASSWORD_FILE"), run.out());
    // files the server reads itself stay paths
    assertTrue(run.out().contains("LLMCHAT_JWT_PRIVATE_KEY_FILE=/run/secrets/jwt.pem"), run.out());
  }

  @Test
  void missingSettingsStopTheStartNamingTheVariable() throws Exception {
    Run noUrl = run(Map.of("LLMCHAT_DB_PASSWORD", "x"), "env");
    assertEquals(64, noUrl.exit());
    assertTrue(noUrl.err().contains("LLMCHAT_DB_URL"), noUrl.err());

    Run noPassword = run(Map.of("LLMCHAT_DB_URL", "jdbc:postgresql://db/llmchat"), "env");
    assertEquals(64, noPassword.exit());
    assertTrue(noPassword.err().contains("LLMCHAT_DB_PASSWORD"), noPassword.err());

    Run wrongUrl =
        run(Map.of("LLMCHAT_DB_URL", "postgres://db/llmchat", "LLMCHAT_DB_PASSWORD", "x"), "env");
    assertEquals(64, wrongUrl.exit());
    assertTrue(wrongUrl.err().contains("jdbc:postgresql://"), wrongUrl.err());
  }

  @Test
  void aMissingOrDoubleSecretIsRefused() throws Exception {
    Run missing =
        run(
            Map.of(
                "LLMCHAT_DB_URL",
                "jdbc:postgresql://db/llmchat",
                "LLMCHAT_DB_PASSWORD_FILE",
                temp.resolve("absent").toString()),
            "env");
    assertEquals(64, missing.exit());
    assertTrue(missing.err().contains("LLMCHAT_DB_PASSWORD_FILE"), missing.err());

    Run both =
        run(
            Map.of(
                "LLMCHAT_DB_URL", "jdbc:postgresql://db/llmchat",
                "LLMCHAT_DB_PASSWORD", "x",
                "LLMCHAT_DB_PASSWORD_FILE", secret("p", "y").toString()),
            "env");
    assertEquals(64, both.exit());
    assertTrue(both.err().contains("both set"), both.err());

    Run empty =
        run(
            Map.of(
                "LLMCHAT_DB_URL",
                "jdbc:postgresql://db/llmchat",
                "LLMCHAT_DB_PASSWORD_FILE",
                secret("empty", "").toString()),
            "env");
    assertEquals(64, empty.exit());
    assertTrue(empty.err().contains("empty"), empty.err());
  }

  @Test
  void theDataDirMustBeWritable() throws Exception {
    Files.delete(data);
    Run run =
        run(
            Map.of("LLMCHAT_DB_URL", "jdbc:postgresql://db/llmchat", "LLMCHAT_DB_PASSWORD", "x"),
            "env");
    assertEquals(64, run.exit());
    assertTrue(run.err().contains("LLMCHAT_DATA_DIR"), run.err());
  }

  @Test
  void withoutACommandWildFlyStartsInPlaceOfTheShell() throws Exception {
    Path home = temp.resolve("server");
    Path standalone = Files.createDirectories(home.resolve("bin")).resolve("standalone.sh");
    Files.writeString(standalone, "#!/bin/sh\necho \"standalone started, pid $$\"\n");
    Files.setPosixFilePermissions(standalone, PosixFilePermissions.fromString("rwxr-xr-x"));
    Run run =
        run(
            Map.of(
                "LLMCHAT_DB_URL", "jdbc:postgresql://db/llmchat",
                "LLMCHAT_DB_PASSWORD", "x",
                "JBOSS_HOME", home.toString()));
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().startsWith("standalone started"), run.out());
  }

  /**
   * LLMCHAT_CLUSTER=true: the server starts with standalone-cluster.xml and the container's
   * address, and not at all without the keys every server of a cluster must share.
   */
  @Test
  void aServerOfAClusterStartsWithTheClusterConfigurationAndOnlyWithSharedKeys() throws Exception {
    Path home = temp.resolve("server");
    Path standalone = Files.createDirectories(home.resolve("bin")).resolve("standalone.sh");
    Files.writeString(
        standalone, "#!/bin/sh\necho \"standalone $* at $LLMCHAT_CLUSTER_ADDRESS\"\n");
    Files.setPosixFilePermissions(standalone, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> cluster =
        Map.of(
            "LLMCHAT_DB_URL", "jdbc:postgresql://db/llmchat",
            "LLMCHAT_DB_PASSWORD", "x",
            "JBOSS_HOME", home.toString(),
            "LLMCHAT_CLUSTER", "true");
    Run withoutKeys = run(cluster);
    assertEquals(64, withoutKeys.exit(), withoutKeys.out());
    assertTrue(withoutKeys.err().contains("LLMCHAT_MASTER_KEY_FILE"), withoutKeys.err());
    Map<String, String> withMasterKey = new HashMap<>(cluster);
    withMasterKey.put("LLMCHAT_MASTER_KEY_FILE", "/run/secrets/master-key");
    Run withoutTokenKeys = run(withMasterKey);
    assertEquals(64, withoutTokenKeys.exit(), withoutTokenKeys.out());
    assertTrue(
        withoutTokenKeys.err().contains("LLMCHAT_JWT_PRIVATE_KEY_FILE"), withoutTokenKeys.err());
    Map<String, String> withKeys = new HashMap<>(withMasterKey);
    withKeys.put("LLMCHAT_JWT_PRIVATE_KEY_FILE", "/run/secrets/jwt-private.pem");
    withKeys.put("LLMCHAT_JWT_PUBLIC_KEY_FILE", "/run/secrets/jwt-public.pem");
    withKeys.put("LLMCHAT_CLUSTER_ADDRESS", "10.1.2.3");
    Run started = run(withKeys);
    assertEquals(0, started.exit(), started.err());
    assertEquals("standalone -c standalone-cluster.xml at 10.1.2.3", started.out().strip());
    // without an address given: the container's own
    withKeys.remove("LLMCHAT_CLUSTER_ADDRESS");
    Run addressed = run(withKeys);
    assertEquals(0, addressed.exit(), addressed.err());
    assertTrue(
        addressed.out().matches("standalone -c standalone-cluster.xml at \\S+\\s*"),
        addressed.out());
  }

  /**
   * JAVA_OPTS_APPEND, which the Kubernetes manifests set, reaches the JVM: standalone.sh reads only
   * JAVA_OPTS, and builds its defaults (with -Xmx512m) around JBOSS_JAVA_SIZING when that is unset.
   */
  @Test
  void javaOptsAppendIsAddedToTheServersJvmOptions() throws Exception {
    Map<String, String> database =
        Map.of("LLMCHAT_DB_URL", "jdbc:postgresql://db/llmchat", "LLMCHAT_DB_PASSWORD", "x");
    Map<String, String> sizing = new java.util.HashMap<>(database);
    sizing.put("JBOSS_JAVA_SIZING", "-XX:MaxRAMPercentage=70");
    sizing.put("JAVA_OPTS_APPEND", "-XX:+UseZGC");
    Run defaults = run(sizing, "env");
    assertEquals(0, defaults.exit(), defaults.err());
    assertTrue(
        defaults.out().contains("JBOSS_JAVA_SIZING=-XX:MaxRAMPercentage=70 -XX:+UseZGC"),
        defaults.out());

    Map<String, String> options = new java.util.HashMap<>(database);
    options.put("JAVA_OPTS", "-Xmx1g");
    options.put("JAVA_OPTS_APPEND", "-XX:+UseZGC");
    Run own = run(options, "env");
    assertTrue(own.out().contains("JAVA_OPTS=-Xmx1g -XX:+UseZGC"), own.out());
  }

  /**
   * The image's sizing replaces standalone.sh's fixed -Xmx512m by a share of the container's
   * memory.
   */
  @Test
  void theImageSizesTheHeapByTheContainersMemory() throws Exception {
    String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
    assertTrue(dockerfile.contains("JBOSS_JAVA_SIZING=\"-XX:InitialRAMPercentage"), dockerfile);
    assertFalse(dockerfile.contains("-Xmx"), dockerfile);
  }

  /**
   * podman-compose (1.0.3, Debian 12) leaves {@code ${X:-}} as it is, and the server then read the
   * literal text as a setting (its own expression syntax: "recursive expansion too deep"); a
   * setting without a value is passed on from the shell by both Compose tools instead.
   */
  @Test
  void composeHasNoEmptyDefaults() throws Exception {
    String compose = Files.readString(DOCKER.resolve("compose.yaml"));
    Matcher empty = Pattern.compile("\\$\\{[A-Za-z0-9_]+:?-}").matcher(compose);
    assertFalse(empty.find(), () -> "an empty default in compose.yaml: " + empty.group());
  }

  /** Every LLMCHAT_* variable the container files use is explained in docs/configuration.md. */
  @Test
  void everyVariableOfTheContainerFilesIsDocumented() throws Exception {
    String documentation = Files.readString(Path.of("../docs/configuration.md"));
    Pattern variable = Pattern.compile("LLMCHAT_[A-Z0-9_]*[A-Z0-9]");
    Set<String> used = new TreeSet<>();
    try (Stream<Path> files = Files.walk(DOCKER)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Matcher matcher = variable.matcher(Files.readString(file));
        while (matcher.find()) {
          used.add(matcher.group());
        }
      }
    }
    assertTrue(used.size() > 5, used.toString());
    Set<String> undocumented = new TreeSet<>();
    for (String name : used) {
      if (!documentation.contains("`" + name + "`") && !documentation.contains(name + "`")) {
        undocumented.add(name);
      }
    }
    assertEquals(Set.of(), undocumented, "used in docker/ but not in docs/configuration.md");
  }
}
