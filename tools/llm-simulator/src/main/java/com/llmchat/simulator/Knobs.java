package com.llmchat.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one simulated answer behaves. Defaults come from the start options; a request overrides them
 * with {@code X-Sim-<knob>} headers or a {@code [sim knob=value ...]} directive in its last user
 * message (so tests that go through LLM Chat, which sends no such headers, can steer it).
 */
public record Knobs(
    long ttftMs,
    int tokens,
    long gapMs,
    long jitterMs,
    Boolean usage,
    int reasoningTokens,
    String reply,
    String replay,
    Fault fault,
    int failTimes,
    String key,
    int pieceChars,
    boolean markdown) {

  public static final String HEADER_PREFIX = "x-sim-";
  private static final Pattern DIRECTIVE = Pattern.compile("\\[sim((?:\\s+[a-z0-9-]+=\\S+)+)\\s*]");
  private static final Pattern PAIR = Pattern.compile("([a-z0-9-]+)=(\\S+)");

  public static Knobs defaults() {
    return new Knobs(200, 40, 40, 0, null, 0, null, null, Fault.NONE, 0, null, 0, false);
  }

  /** What a fault does, and after how many content chunks. */
  public record Fault(Kind kind, int afterChunks) {
    public static final Fault NONE = new Fault(Kind.NONE, 0);

    public enum Kind {
      NONE,
      HTTP_400,
      HTTP_429,
      HTTP_500,
      RESET,
      MALFORMED,
      ERROR,
      STALL
    }

    /**
     * {@code http-400} (the request refused: a context too long), {@code http-429}, {@code
     * http-500}, {@code reset:N}, {@code malformed:N}, {@code error:N}, {@code stall:N}.
     */
    public static Fault parse(String text) {
      String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":", 2);
      Kind kind = Kind.valueOf(parts[0].replace('-', '_').toUpperCase(Locale.ROOT));
      int after = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      if (after < 0) {
        throw new IllegalArgumentException("fault chunk count must be >= 0");
      }
      return new Fault(kind, after);
    }
  }

  public Knobs with(String name, String value) {
    String v = value.trim();
    Copy copy = new Copy(this);
    switch (name.toLowerCase(Locale.ROOT)) {
      case "ttft-ms" -> copy.ttftMs = nonNegative(v);
      case "tokens" -> copy.tokens = (int) nonNegative(v);
      case "gap-ms" -> copy.gapMs = nonNegative(v);
      case "jitter-ms" -> copy.jitterMs = nonNegative(v);
      case "usage" -> copy.usage = Boolean.parseBoolean(v);
      case "reasoning-tokens" -> copy.reasoningTokens = (int) nonNegative(v);
      case "reply" -> copy.reply = value;
      case "reply-b64" ->
          copy.reply = new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
      case "replay" -> copy.replay = v;
      case "fault" -> copy.fault = Fault.parse(v);
      case "fail-times" -> copy.failTimes = (int) nonNegative(v);
      case "key" -> copy.key = v;
      case "piece-chars" -> copy.pieceChars = (int) nonNegative(v);
      case "markdown" -> copy.markdown = Boolean.parseBoolean(v);
      default -> throw new IllegalArgumentException("unknown simulator knob: " + name);
    }
    return copy.knobs();
  }

  /** A changeable copy, so that {@link #with} names only the knob it sets. */
  private static final class Copy {
    long ttftMs;
    int tokens;
    long gapMs;
    long jitterMs;
    Boolean usage;
    int reasoningTokens;
    String reply;
    String replay;
    Fault fault;
    int failTimes;
    String key;
    int pieceChars;
    boolean markdown;

    Copy(Knobs knobs) {
      ttftMs = knobs.ttftMs;
      tokens = knobs.tokens;
      gapMs = knobs.gapMs;
      jitterMs = knobs.jitterMs;
      usage = knobs.usage;
      reasoningTokens = knobs.reasoningTokens;
      reply = knobs.reply;
      replay = knobs.replay;
      fault = knobs.fault;
      failTimes = knobs.failTimes;
      key = knobs.key;
      pieceChars = knobs.pieceChars;
      markdown = knobs.markdown;
    }

    Knobs knobs() {
      return new Knobs(
          ttftMs,
          tokens,
          gapMs,
          jitterMs,
          usage,
          reasoningTokens,
          reply,
          replay,
          fault,
          failTimes,
          key,
          pieceChars,
          markdown);
    }
  }

  /** Applies every {@code X-Sim-*} header. */
  public Knobs withHeaders(Iterable<Map.Entry<String, String>> headers) {
    Knobs knobs = this;
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith(HEADER_PREFIX)) {
        knobs = knobs.with(name.substring(HEADER_PREFIX.length()), header.getValue());
      }
    }
    return knobs;
  }

  /** Applies a {@code [sim ...]} directive found in the message text, if any. */
  public Knobs withDirective(String message) {
    if (message == null) {
      return this;
    }
    Matcher directive = DIRECTIVE.matcher(message);
    if (!directive.find()) {
      return this;
    }
    Knobs knobs = this;
    Matcher pair = PAIR.matcher(directive.group(1));
    while (pair.find()) {
      knobs = knobs.with(pair.group(1), pair.group(2));
    }
    return knobs;
  }

  /** Whether the message steers the simulator with a {@code [sim …]} directive. */
  public static boolean hasDirective(String message) {
    return message != null && DIRECTIVE.matcher(message).find();
  }

  /** The message without its directive, as a model would see the user's words. */
  public static String withoutDirective(String message) {
    return message == null ? "" : DIRECTIVE.matcher(message).replaceAll("").trim();
  }

  private static long nonNegative(String value) {
    long parsed = Long.parseLong(value);
    if (parsed < 0) {
      throw new IllegalArgumentException("must be >= 0: " + value);
    }
    return parsed;
  }
}
