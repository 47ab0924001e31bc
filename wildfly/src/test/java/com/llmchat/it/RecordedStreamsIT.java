package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every recorded provider stream, replayed verbatim by the simulator and relayed by LLM Chat,
 * reaches the client as exactly what the recording means (its .expected.json): content, reasoning,
 * tool calls, the upstream's usage, finish reason, error and [DONE].
 */
class RecordedStreamsIT extends DeployedEar {

  @Test
  void everyRecordingArrivesWhole() throws Exception {
    Platform.simulator();
    Path folder = Path.of(Platform.required("llmchat.recordings"));
    List<String> names;
    try (Stream<Path> files = Files.list(folder)) {
      names =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.endsWith(".sse"))
              .sorted()
              .toList();
    }
    assertTrue(names.size() >= 26, "recordings missing in " + folder);
    String token = Tokens.user();
    List<String> mismatches = new ArrayList<>();
    for (String file : names) {
      String name = file.substring(0, file.length() - 4);
      var expected =
          Json.object(
              Files.readString(folder.resolve(name + ".expected.json"), StandardCharsets.UTF_8));
      var relayed =
          SseClient.chat(token, "demo", "[sim replay=" + name + " ttft-ms=1 gap-ms=1]").assembled();
      if (!expected.equals(relayed)) {
        mismatches.add(name + "\n  expected " + expected + "\n  relayed  " + relayed);
      }
    }
    assertTrue(
        mismatches.isEmpty(),
        mismatches.size() + " of " + names.size() + " differ:\n" + String.join("\n", mismatches));
  }
}
