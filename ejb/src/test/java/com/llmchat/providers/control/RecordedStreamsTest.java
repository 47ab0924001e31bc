package com.llmchat.providers.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded provider stream in {@code sse-fixtures/} (see its README and SOURCES.tsv), read
 * line by line as the relay reads it, assembles into exactly its {@code .expected.json}. A new
 * recording is a new case.
 */
class RecordedStreamsTest {

  static Stream<String> recordings() throws IOException, URISyntaxException {
    Path folder = folder();
    try (Stream<Path> files = Files.list(folder)) {
      List<String> names =
          files
              .map(file -> file.getFileName().toString())
              .filter(name -> name.endsWith(".sse"))
              .map(name -> name.substring(0, name.length() - 4))
              .sorted()
              .toList();
      assertTrue(names.size() >= 26, "recordings missing in " + folder);
      return names.stream();
    }
  }

  static Path folder() throws URISyntaxException {
    return Path.of(RecordedStreamsTest.class.getResource("/sse-fixtures").toURI());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordings")
  void assemblesExactlyWhatTheRecordingMeans(String name) throws Exception {
    String body = Files.readString(folder().resolve(name + ".sse"), StandardCharsets.UTF_8);
    JsonObject expected =
        Json.createReader(
                new StringReader(
                    Files.readString(
                        folder().resolve(name + ".expected.json"), StandardCharsets.UTF_8)))
            .readObject();

    CompletionAssembly assembly = new CompletionAssembly();
    ChatStreamParser parser = new ChatStreamParser(assembly);
    // split as a line reader does: \n, \r\n or \r
    body.lines().forEach(parser::line);
    parser.end();

    assertEquals(expected, assembly.toJson());
  }
}
