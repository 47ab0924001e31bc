package com.llmchat.conversations.control;

import com.llmchat.providers.entity.CompletionRequest.Turn;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a model is asked for a conversation's title after its first reply, and the title read out of
 * what it answers: models wrap titles in quotes, prefix them with "Title:", think aloud in {@code
 * <think>} blocks or add a full stop, and some echo a test's {@code [sim …]} directive.
 */
public final class TitlePrompt {

  /** The instruction; the simulator recognises a title request by its first words. */
  public static final String INSTRUCTION =
      "You name chat conversations. Reply with a title for the conversation below and nothing"
          + " else: at most six words (in Chinese or Japanese at most twelve characters), in the"
          + " language the user wrote in, without quotes and without a full stop.";

  /** Characters of the question and of the reply quoted to the model. */
  static final int QUOTED = 1_500;

  public static final int MAX_TITLE = 80;

  private static final Pattern THINKING = Pattern.compile("(?s)<think>.*?(</think>|$)");
  private static final Pattern DIRECTIVE = Pattern.compile("\\[sim(\\s+[a-z0-9-]+=\\S+)+\\s*]");
  private static final Pattern LABEL = Pattern.compile("^(?i)(title|标题|題名|タイトル)\\s*[:：]\\s*");
  private static final String QUOTES = "\"'“”‘’「」『』《》`*#";
  private static final String FULL_STOPS = ".。!！?？,，;；:：";

  private TitlePrompt() {}

  /** The turns of the request: the instruction, then the first question and reply quoted. */
  public static List<Turn> turns(String question, String reply) {
    return List.of(
        new Turn("system", INSTRUCTION),
        new Turn(
            "user",
            "User: " + quoted(question) + "\n\nAssistant: " + quoted(reply) + "\n\nTitle:"));
  }

  private static String quoted(String text) {
    String plain = DIRECTIVE.matcher(text == null ? "" : text).replaceAll("").strip();
    return plain.length() <= QUOTED ? plain : plain.substring(0, QUOTED) + "…";
  }

  /** The title in a model's answer, or null when there is none. */
  public static String title(String answer) {
    if (answer == null) {
      return null;
    }
    String text = DIRECTIVE.matcher(THINKING.matcher(answer).replaceAll("")).replaceAll("");
    String line = text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
    line = LABEL.matcher(line).replaceFirst("");
    line = trim(line, QUOTES + FULL_STOPS, true).replaceAll("\\s+", " ");
    line = trim(line, QUOTES + FULL_STOPS, false);
    if (line.isEmpty()) {
      return null;
    }
    return line.length() <= MAX_TITLE ? line : line.substring(0, MAX_TITLE - 1).strip() + "…";
  }

  private static String trim(String text, String characters, boolean start) {
    int from = 0;
    int to = text.length();
    while (start && from < to && characters.indexOf(text.charAt(from)) >= 0) {
      from++;
    }
    while (to > from && characters.indexOf(text.charAt(to - 1)) >= 0) {
      to--;
    }
    return text.substring(from, to).strip();
  }
}
