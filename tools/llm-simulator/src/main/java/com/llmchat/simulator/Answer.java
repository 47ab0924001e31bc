package com.llmchat.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated answer to one chat completion request, as SSE frames or as one JSON body. A request
 * with tools whose last message is the user's is answered with a call of its first tool (or the one
 * {@code tool_choice} names) with {@code {"input": <the user's message>}}; one whose last message
 * is a tool's result answers with that result.
 */
record Answer(JsonObject request, Knobs knobs, String id, boolean demo) {

  private static final String[] WORDS =
      ("This is a simulated answer from the LLM Chat model simulator. It streams words at the pace"
              + " its knobs set, so that you can watch tokens arrive one by one and measure what the"
              + " relay adds to the latency of the model server.")
          .split(" ");

  /** The content pieces, one per token. */
  List<String> pieces() {
    List<String> pieces = new ArrayList<>();
    String title = title();
    if (title != null) {
      for (String word : title.split("(?<= )")) {
        pieces.add(word);
      }
      return pieces;
    }
    String toolResult = toolResult();
    List<String> images = Parts.images(lastUserContent());
    if (!images.isEmpty() && knobs.reply() == null && toolResult == null) {
      // what a vision model was shown, said back, so that tests see what reached the model
      String said =
          "I received "
              + images.size()
              + (images.size() == 1 ? " image: " : " images: ")
              + String.join("; ", images)
              + ". Text: "
              + abbreviated(Knobs.withoutDirective(lastUserText()));
      for (String word : said.split("(?<= )")) {
        pieces.add(word);
      }
      return pieces.subList(0, Math.min(pieces.size(), limit()));
    }
    if (demo && knobs.reply() == null && toolResult == null) {
      List<String> answer = Demo.answer(Demo.chinese(lastUserText()));
      return answer.subList(0, Math.min(answer.size(), limit()));
    }
    if (knobs.reply() != null || toolResult != null) {
      String reply = knobs.reply() != null ? knobs.reply() : "The tool said: " + toolResult;
      int size =
          Math.max(1, (int) Math.ceil(reply.length() / (double) Math.max(1, knobs.tokens())));
      for (int i = 0; i < reply.length(); i += size) {
        pieces.add(reply.substring(i, Math.min(reply.length(), i + size)));
      }
      return pieces;
    }
    if (knobs.markdown()) {
      // markdown=true: the demo answer's headings, lists, code and tables over and over, for as
      // many pieces as tokens= asks (what a long real reply looks like to the renderer)
      List<String> demoPieces = Demo.answer(false);
      for (int i = 0; i < Math.min(knobs.tokens(), limit()); i++) {
        pieces.add(demoPieces.get(i % demoPieces.size()));
      }
      return pieces;
    }
    for (int i = 0; i < Math.min(knobs.tokens(), limit()); i++) {
      String word = (i == 0 ? "" : " ") + WORDS[i % WORDS.length];
      // piece-chars: pieces of that size (the word repeated), for floods of bytes
      pieces.add(knobs.pieceChars() > 0 ? repeatTo(word, knobs.pieceChars()) : word);
    }
    return pieces;
  }

  /** The most tokens the request allows. */
  private int limit() {
    return request.getInteger(
        "max_tokens", request.getInteger("max_completion_tokens", Integer.MAX_VALUE));
  }

  /** The reasoning pieces: the demo's, or the {@code reasoning-tokens} knob's "thinking0 …". */
  private List<String> reasoningPieces() {
    if (demo) {
      return Demo.reasoning(Demo.chinese(lastUserText()));
    }
    List<String> thinking = new ArrayList<>();
    for (int i = 0; i < knobs.reasoningTokens(); i++) {
      thinking.add((i == 0 ? "" : " ") + "thinking" + i);
    }
    return thinking;
  }

  private String lastUserText() {
    return Parts.text(lastUserContent());
  }

  /** The content of the last user message: a string, or parts; null without one. */
  private Object lastUserContent() {
    JsonArray messages = request.getJsonArray("messages", new JsonArray());
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.getValue(i) instanceof JsonObject message
          && "user".equals(message.getString("role"))) {
        return message.getValue("content");
      }
    }
    return null;
  }

  /** The beginning of a long text (what a test needs to recognise it), marked as cut. */
  private static String abbreviated(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }

  private static String repeatTo(String word, int chars) {
    StringBuilder piece = new StringBuilder(chars);
    while (piece.length() < chars) {
      piece.append(word);
    }
    piece.setLength(chars);
    return piece.toString();
  }

  /**
   * A title, when LLM Chat asks for one (its instruction starts with {@value #TITLE_REQUEST}): the
   * beginning of the quoted question, as a model would name it in the question's language — twelve
   * characters of Chinese or Japanese, else six words.
   */
  /** Whether the request is LLM Chat's for a conversation's title. */
  static boolean asksForTitle(JsonObject request) {
    JsonArray messages = request.getJsonArray("messages", new JsonArray());
    return messages.size() >= 2
        && messages.getValue(0) instanceof JsonObject first
        && first.getValue("content") instanceof String instruction
        && instruction.startsWith(TITLE_REQUEST);
  }

  private String title() {
    JsonArray messages = request.getJsonArray("messages", new JsonArray());
    if (!asksForTitle(request)
        || !(messages.getValue(messages.size() - 1) instanceof JsonObject last)
        || !(last.getValue("content") instanceof String quoted)) {
      return null;
    }
    String question = quoted.replaceFirst("(?s)^User: (.*?)\\n\\nAssistant: .*$", "$1");
    question = Knobs.withoutDirective(question).replaceAll("[\\p{Punct}\\p{IsPunctuation}]", " ");
    boolean ideographs = question.codePoints().anyMatch(Answer::ideographic);
    String title;
    if (ideographs) {
      StringBuilder chars = new StringBuilder();
      question
          .codePoints()
          .filter(c -> !Character.isWhitespace(c))
          .limit(12)
          .forEach(chars::appendCodePoint);
      title = chars.toString();
    } else {
      title =
          String.join(
              " ", java.util.Arrays.stream(question.strip().split("\\s+")).limit(6).toList());
    }
    return title.isBlank() ? "Conversation" : title;
  }

  static final String TITLE_REQUEST = "You name chat conversations.";

  private static boolean ideographic(int c) {
    Character.UnicodeScript script = Character.UnicodeScript.of(c);
    return script == Character.UnicodeScript.HAN
        || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA;
  }

  /** The last message's content when it is a tool's result. */
  private String toolResult() {
    JsonArray messages = request.getJsonArray("messages", new JsonArray());
    if (messages.isEmpty()
        || !(messages.getValue(messages.size() - 1) instanceof JsonObject last)
        || !"tool".equals(last.getString("role"))) {
      return null;
    }
    return last.getValue("content") instanceof String text
        ? text
        : String.valueOf(last.getValue("content"));
  }

  /** The tool to call, or null when the request offers none or is answered otherwise. */
  String toolToCall() {
    JsonArray tools = request.getJsonArray("tools");
    Object choice = request.getValue("tool_choice");
    if (tools == null || tools.isEmpty() || "none".equals(choice) || toolResult() != null) {
      return null;
    }
    if (choice instanceof JsonObject named && named.getJsonObject("function") != null) {
      return named.getJsonObject("function").getString("name");
    }
    JsonObject function = tools.getJsonObject(0).getJsonObject("function");
    return function == null ? null : function.getString("name");
  }

  private String toolArguments() {
    JsonArray messages = request.getJsonArray("messages", new JsonArray());
    String input = "";
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.getValue(i) instanceof JsonObject m && "user".equals(m.getString("role"))) {
        input = Knobs.withoutDirective(Parts.text(m.getValue("content")));
        break;
      }
    }
    return new JsonObject().put("input", input).encode();
  }

  private JsonObject toolCall(String name, String arguments, boolean withIndex) {
    JsonObject call =
        new JsonObject()
            .put("id", "call_" + id.substring(id.lastIndexOf('-') + 1))
            .put("type", "function")
            .put("function", new JsonObject().put("name", name).put("arguments", arguments));
    return withIndex ? call.put("index", 0) : call;
  }

  private String finishReason(int produced) {
    int limit =
        request.getInteger(
            "max_tokens", request.getInteger("max_completion_tokens", Integer.MAX_VALUE));
    return knobs.reply() == null && produced < knobs.tokens() && produced >= limit
        ? "length"
        : "stop";
  }

  private long promptTokens() {
    long words = 0;
    for (Object message : request.getJsonArray("messages", new JsonArray())) {
      if (message instanceof JsonObject m) {
        words += Knobs.withoutDirective(Parts.text(m.getValue("content"))).split("\\s+").length;
        // an image costs what OpenAI's smallest tile does
        words += 85L * Parts.images(m.getValue("content")).size();
      }
    }
    return words;
  }

  private JsonObject usage(int completionTokens) {
    long prompt = promptTokens();
    JsonObject usage =
        new JsonObject()
            .put("prompt_tokens", prompt)
            .put("completion_tokens", completionTokens)
            .put("total_tokens", prompt + completionTokens);
    if (knobs.reasoningTokens() > 0) {
      // as reasoning models report it (OpenAI o-series, DeepSeek-R1 through vLLM)
      usage.put(
          "completion_tokens_details",
          new JsonObject().put("reasoning_tokens", knobs.reasoningTokens()));
    }
    return usage;
  }

  private boolean includeUsage() {
    if (knobs.usage() != null) {
      return knobs.usage();
    }
    JsonObject streamOptions = request.getJsonObject("stream_options");
    return streamOptions != null && streamOptions.getBoolean("include_usage", false);
  }

  private JsonObject chunk(JsonObject delta, String finishReason) {
    return new JsonObject()
        .put("id", id)
        .put("object", "chat.completion.chunk")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", request.getString("model"))
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put("delta", delta)
                        .put("finish_reason", finishReason)));
  }

  /** Every frame of the stream: role, reasoning, content, finish, optional usage, [DONE]. */
  List<String> frames() {
    String tool = toolToCall();
    if (tool != null) {
      return toolCallFrames(tool);
    }
    List<String> frames = new ArrayList<>();
    List<String> pieces = pieces();
    frames.add(frame(chunk(new JsonObject().put("role", "assistant").put("content", ""), null)));
    List<String> reasoning = reasoningPieces();
    for (String thought : reasoning) {
      frames.add(frame(chunk(new JsonObject().put("reasoning_content", thought), null)));
    }
    for (String piece : pieces) {
      frames.add(frame(chunk(new JsonObject().put("content", piece), null)));
    }
    frames.add(frame(chunk(new JsonObject(), finishReason(pieces.size()))));
    usageAndDone(frames, pieces.size() + reasoning.size());
    return frames;
  }

  /** A tool call streamed as OpenAI does: id, type and name first, the arguments in pieces. */
  private List<String> toolCallFrames(String tool) {
    List<String> frames = new ArrayList<>();
    String arguments = toolArguments();
    int half = arguments.length() / 2;
    frames.add(
        frame(
            chunk(
                new JsonObject()
                    .put("role", "assistant")
                    .putNull("content")
                    .put("tool_calls", new JsonArray().add(toolCall(tool, "", true))),
                null)));
    for (String piece : List.of(arguments.substring(0, half), arguments.substring(half))) {
      frames.add(
          frame(
              chunk(
                  new JsonObject()
                      .put(
                          "tool_calls",
                          new JsonArray()
                              .add(
                                  new JsonObject()
                                      .put("index", 0)
                                      .put("function", new JsonObject().put("arguments", piece)))),
                  null)));
    }
    frames.add(frame(chunk(new JsonObject(), "tool_calls")));
    usageAndDone(frames, 2);
    return frames;
  }

  private void usageAndDone(List<String> frames, int completionTokens) {
    if (includeUsage()) {
      frames.add(
          frame(
              new JsonObject()
                  .put("id", id)
                  .put("object", "chat.completion.chunk")
                  .put("created", System.currentTimeMillis() / 1000)
                  .put("model", request.getString("model"))
                  .put("choices", new JsonArray())
                  .put("usage", usage(completionTokens))));
    }
    frames.add("data: [DONE]\n\n");
  }

  JsonObject whole() {
    String tool = toolToCall();
    List<String> pieces = tool == null ? pieces() : List.of();
    JsonObject message =
        new JsonObject()
            .put("role", "assistant")
            .put("content", tool == null ? String.join("", pieces) : null);
    if (tool != null) {
      message.put("tool_calls", new JsonArray().add(toolCall(tool, toolArguments(), false)));
    }
    List<String> reasoning = tool == null ? reasoningPieces() : List.of();
    if (!reasoning.isEmpty()) {
      message.put("reasoning_content", String.join("", reasoning));
    }
    return new JsonObject()
        .put("id", id)
        .put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000)
        .put("model", request.getString("model"))
        .put(
            "choices",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("index", 0)
                        .put("message", message)
                        .put(
                            "finish_reason",
                            tool != null ? "tool_calls" : finishReason(pieces.size()))))
        .put("usage", usage(tool != null ? 2 : pieces.size() + reasoning.size()));
  }

  private static String frame(JsonObject payload) {
    return "data: " + payload.encode() + "\n\n";
  }
}
