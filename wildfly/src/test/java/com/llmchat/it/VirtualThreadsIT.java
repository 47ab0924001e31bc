package com.llmchat.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On JDK 21+ every stream runs on a virtual thread, which nothing limits by itself: an installation
 * of its own, started on such a JDK ({@code LLMCHAT_TEST_JDK21_HOME}, else the Temurin 25 this
 * machine has) with a limit of 3 streams, streams three replies and refuses a fourth at once with
 * {@code server_busy}, stored as failed.
 */
class VirtualThreadsIT extends DeployedEar {

  private static final Path JDK =
      Path.of(
          System.getenv()
              .getOrDefault("LLMCHAT_TEST_JDK21_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"));

  @TempDir Path temp;

  @Test
  void theStreamLimitHoldsOnVirtualThreads() throws Exception {
    assertTrue(Files.isExecutable(JDK.resolve("bin/java")), "a JDK 21 or newer is needed: " + JDK);
    var simulator = Platform.simulator();
    try (var installation =
        new Installation(
            temp,
            Map.of(
                "JAVA_HOME",
                JDK.toString(),
                "PATH",
                JDK.resolve("bin") + ":" + System.getenv("PATH"),
                "LLMCHAT_STREAM_THREADS",
                "3"))) {
      installation.launcher("run");
      String token = installation.login();

      long streamingBefore = simulator.activeStreams();
      List<CompletableFuture<List<String>>> slow = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        long conversation = installation.conversation(token);
        slow.add(
            CompletableFuture.supplyAsync(
                () ->
                    events(installation, token, conversation, "Slow [sim tokens=20 gap-ms=200]")));
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> simulator.activeStreams() - streamingBefore >= 3);

      List<String> refused =
          events(installation, token, installation.conversation(token), "One more [sim tokens=2]");
      assertTrue(
          refused.stream().anyMatch(data -> data.contains("\"code\":\"server_busy\"")),
          "the fourth stream is refused: " + refused);
      assertTrue(
          refused.get(refused.size() - 1).contains("\"status\":\"failed\""),
          "and stored as failed: " + refused);

      for (var stream : slow) {
        List<String> events = stream.get(60, TimeUnit.SECONDS);
        assertTrue(
            events.get(events.size() - 1).contains("\"status\":\"complete\""),
            "the three within the limit complete: " + events);
      }
      // a slot is free again
      List<String> after =
          events(installation, token, installation.conversation(token), "Now [sim tokens=2]");
      assertTrue(after.get(after.size() - 1).contains("\"status\":\"complete\""), after.toString());
      assertEquals(0, after.stream().filter(data -> data.contains("server_busy")).count());
      assertTrue(
          Files.readString(installation.serverLog()).contains("Streams run on virtual threads"),
          "the server log says which threads carry the streams");
    }
  }

  /** The data of every event of a reply's stream, in order. */
  private static List<String> events(
      Installation installation, String token, long conversation, String content) {
    List<String> data = new ArrayList<>();
    try {
      installation.send(token, conversation, content, (event, text) -> data.add(text));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return data;
  }
}
