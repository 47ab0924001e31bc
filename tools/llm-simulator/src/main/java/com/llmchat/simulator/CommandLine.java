package com.llmchat.simulator;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** {@code --name=value} start options; every knob of {@link Knobs} may be given as a default. */
final class CommandLine {

  private CommandLine() {}

  static Simulator.Options parse(String[] args) {
    Simulator.Options defaults = Simulator.Options.defaults();
    String host = defaults.host();
    int port = defaults.port();
    List<String> models = defaults.models();
    String apiKey = null;
    Path replayDir = null;
    Knobs knobs = defaults.knobs();
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        System.out.println(
            """
            usage: java -jar llm-simulator.jar [--host=127.0.0.1] [--port=8089] [--models=demo,other]
                   [--api-key=KEY] [--replay-dir=DIR] [--ttft-ms=200] [--tokens=40] [--gap-ms=40]
                   [--jitter-ms=0] [--usage=true|false] [--reasoning-tokens=0]
                   [--fault=http-429|http-500|reset:N|malformed:N|error:N|stall:N] [--fail-times=N]
                   [--piece-chars=N] [--markdown=true|false]
            Per request: X-Sim-<knob> headers, or [sim knob=value ...] in the last user message;
            a message with neither gets the demo answer (in its language, with markdown).
            markdown=true: the demo answer's markdown repeated for tokens= pieces.""");
        System.exit(0);
      }
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      String name = arg.substring(2, arg.indexOf('='));
      String value = arg.substring(arg.indexOf('=') + 1);
      switch (name) {
        case "host" -> host = value;
        case "port" -> port = Integer.parseInt(value);
        case "models" ->
            models =
                Arrays.stream(value.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        case "api-key" -> apiKey = value.isEmpty() ? null : value;
        case "replay-dir" -> replayDir = Path.of(value).toAbsolutePath().normalize();
        default -> knobs = knobs.with(name, value);
      }
    }
    return new Simulator.Options(host, port, models, apiKey, replayDir, knobs, null, null);
  }
}
