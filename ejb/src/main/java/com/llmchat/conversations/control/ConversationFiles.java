package com.llmchat.conversations.control;

import com.llmchat.json.JsonFactory;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Conversations as files: our JSON (read back here, also by another installation), Markdown to
 * read, and ChatGPT's {@code conversations.json} export read in. Pure: what is stored and where is
 * {@code ConversationTransfer}'s.
 */
public final class ConversationFiles {

  public static final String FORMAT = "llmchat-conversations";
  public static final int VERSION = 1;

  /** A conversation as a file holds it: its settings and its current messages in order. */
  public record Transferred(
      String title,
      String titleSource,
      String model,
      String systemPrompt,
      Double temperature,
      Integer maxTokens,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt,
      List<TransferredMessage> messages) {}

  /**
   * A message: {@code role} user or assistant, {@code status} complete, interrupted or failed;
   * {@code files}: the files attached to a user's message.
   */
  public record TransferredMessage(
      String role,
      String content,
      String reasoning,
      String status,
      String model,
      String error,
      OffsetDateTime createdAt,
      List<TransferredFile> files) {

    public TransferredMessage {
      files = List.copyOf(files);
    }

    /** A message without files. */
    public TransferredMessage(
        String role,
        String content,
        String reasoning,
        String status,
        String model,
        String error,
        OffsetDateTime createdAt) {
      this(role, content, reasoning, status, model, error, createdAt, List.of());
    }
  }

  /**
   * A file attached to a message, as it was uploaded (its type is read again from the bytes when it
   * is brought in: a file says what it is, never what it is called or labelled).
   */
  public record TransferredFile(String name, String mediaType, byte[] content) {}

  /** A file that is neither, or one that breaks a limit: the message says which and where. */
  public static final class UnreadableFile extends IllegalArgumentException {
    public UnreadableFile(String message) {
      super(message);
    }
  }

  static final int MAX_TEXT = 100_000;
  static final int MAX_TITLE = 200;

  private ConversationFiles() {}

  // ------------------------------------------------------------------------------- writing

  /** The envelope of an export; the conversations go into its {@code conversations} array. */
  public static JsonObjectBuilder envelope() {
    return JsonFactory.object()
        .add("format", FORMAT)
        .add("version", VERSION)
        .add("exportedAt", OffsetDateTime.now(ZoneOffset.UTC).toString());
  }

  public static JsonObject json(Transferred conversation) {
    var messages = JsonFactory.array();
    for (TransferredMessage message : conversation.messages()) {
      var json =
          JsonFactory.object()
              .add("role", message.role())
              .add("content", message.content())
              .add("status", message.status())
              .add("createdAt", message.createdAt().toString());
      optional(json, "reasoning", message.reasoning());
      optional(json, "model", message.model());
      optional(json, "error", message.error());
      if (!message.files().isEmpty()) {
        var files = JsonFactory.array();
        for (TransferredFile file : message.files()) {
          files.add(
              JsonFactory.object()
                  .add("name", file.name())
                  .add("mediaType", file.mediaType())
                  .add("content", Base64.getEncoder().encodeToString(file.content())));
        }
        json.add("attachments", files);
      }
      messages.add(json);
    }
    var json =
        JsonFactory.object()
            .add("title", conversation.title())
            .add("titleSource", conversation.titleSource())
            .add("model", conversation.model())
            .add("createdAt", conversation.createdAt().toString())
            .add("updatedAt", conversation.updatedAt().toString());
    optional(json, "systemPrompt", conversation.systemPrompt());
    if (conversation.temperature() != null) {
      json.add("temperature", conversation.temperature());
    }
    if (conversation.maxTokens() != null) {
      json.add("maxTokens", conversation.maxTokens());
    }
    return json.add("messages", messages).build();
  }

  private static void optional(JsonObjectBuilder json, String name, String value) {
    if (value != null) {
      json.add(name, value);
    }
  }

  /** A conversation to read: its settings, then each message under a heading of who wrote it. */
  public static String markdown(Transferred conversation, String you, String assistant) {
    StringBuilder text = new StringBuilder();
    text.append("# ").append(oneLine(conversation.title())).append("\n\n");
    text.append("- Model: `").append(conversation.model()).append("`\n");
    text.append("- Started: ").append(conversation.createdAt()).append('\n');
    if (conversation.systemPrompt() != null) {
      text.append("- System prompt:\n\n");
      quote(text, conversation.systemPrompt());
    }
    text.append('\n');
    for (TransferredMessage message : conversation.messages()) {
      boolean user = message.role().equals("user");
      text.append("## ")
          .append(user ? you : assistant)
          .append(!user && message.model() != null ? " (" + message.model() + ")" : "")
          .append(" · ")
          .append(message.createdAt().withNano(0))
          .append("\n\n");
      if (message.reasoning() != null && !message.reasoning().isBlank()) {
        text.append("<details><summary>Reasoning</summary>\n\n");
        quote(text, message.reasoning());
        text.append("\n</details>\n\n");
      }
      if (!message.files().isEmpty()) {
        text.append("*Attached: ")
            .append(
                String.join(", ", message.files().stream().map(f -> oneLine(f.name())).toList()))
            .append("*\n\n");
      }
      text.append(message.content().strip()).append("\n\n");
      if (!message.status().equals("complete")) {
        text.append("*(")
            .append(message.status())
            .append(message.error() == null ? "" : ": " + oneLine(message.error()))
            .append(")*\n\n");
      }
    }
    return text.toString();
  }

  private static void quote(StringBuilder text, String quoted) {
    quoted.strip().lines().forEach(line -> text.append("> ").append(line).append('\n'));
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }

  // ------------------------------------------------------------------------------- reading

  /**
   * The conversations of a file: our export (an object with {@code "format":
   * "llmchat-conversations"}, or one conversation of it) or ChatGPT's {@code conversations.json}
   * (an array of conversations with a {@code mapping}).
   */
  public static List<Transferred> read(JsonValue file) {
    if (file instanceof JsonObject object && FORMAT.equals(string(object, "format"))) {
      if (object.getInt("version", 0) != VERSION) {
        throw new UnreadableFile("Unknown version of the export format: " + object.get("version"));
      }
      return ours(array(object, "conversations"));
    }
    if (file instanceof JsonObject object && object.containsKey("mapping")) {
      return ChatGpt.read(JsonFactory.array().add(object).build());
    }
    if (file instanceof JsonArray array
        && !array.isEmpty()
        && array.get(0) instanceof JsonObject first
        && first.containsKey("mapping")) {
      return ChatGpt.read(array);
    }
    throw new UnreadableFile("Not an export of LLM Chat (JSON) nor ChatGPT's conversations.json");
  }

  private static List<Transferred> ours(JsonArray conversations) {
    List<Transferred> read = new ArrayList<>();
    for (int i = 0; i < conversations.size(); i++) {
      String where = "conversation " + (i + 1);
      if (!(conversations.get(i) instanceof JsonObject conversation)) {
        throw new UnreadableFile(where + " is not an object");
      }
      List<TransferredMessage> messages = new ArrayList<>();
      JsonArray items = array(conversation, "messages");
      for (int m = 0; m < items.size(); m++) {
        String at = where + ", message " + (m + 1);
        if (!(items.get(m) instanceof JsonObject message)) {
          throw new UnreadableFile(at + " is not an object");
        }
        String role = string(message, "role");
        if (!"user".equals(role) && !"assistant".equals(role)) {
          throw new UnreadableFile(at + ": role is user or assistant, not " + role);
        }
        String status = string(message, "status");
        List<TransferredFile> files = files(at, message);
        messages.add(
            new TransferredMessage(
                role,
                text(at, string(message, "content"), role.equals("user") && files.isEmpty()),
                string(message, "reasoning"),
                status == null ? "complete" : status(at, status),
                string(message, "model"),
                string(message, "error"),
                time(at, string(message, "createdAt")),
                files));
      }
      OffsetDateTime created = time(where, string(conversation, "createdAt"));
      String updated = string(conversation, "updatedAt");
      read.add(
          new Transferred(
              title(string(conversation, "title")),
              titleSource(string(conversation, "titleSource")),
              string(conversation, "model"),
              string(conversation, "systemPrompt"),
              conversation.get("temperature") instanceof JsonNumber t ? t.doubleValue() : null,
              conversation.get("maxTokens") instanceof JsonNumber n ? n.intValue() : null,
              created,
              updated == null ? created : time(where, updated),
              messages));
    }
    return read;
  }

  /** The files of a message of our export: a name and the bytes in base64 each. */
  private static List<TransferredFile> files(String where, JsonObject message) {
    if (!(message.get("attachments") instanceof JsonArray attachments)) {
      return List.of();
    }
    List<TransferredFile> files = new ArrayList<>();
    for (int f = 0; f < attachments.size(); f++) {
      String at = where + ", attachment " + (f + 1);
      if (!(attachments.get(f) instanceof JsonObject file)
          || string(file, "name") == null
          || string(file, "content") == null) {
        throw new UnreadableFile(at + ": a name and a content (base64) are needed");
      }
      try {
        files.add(
            new TransferredFile(
                string(file, "name"),
                string(file, "mediaType"),
                Base64.getDecoder().decode(string(file, "content"))));
      } catch (IllegalArgumentException e) {
        throw new UnreadableFile(at + ": the content is not base64");
      }
    }
    return files;
  }

  private static String status(String where, String status) {
    return switch (status) {
      case "complete", "interrupted", "failed" -> status;
      // a reply that was still streaming when exported ended there
      case "streaming" -> "interrupted";
      default -> throw new UnreadableFile(where + ": unknown status " + status);
    };
  }

  private static String titleSource(String source) {
    return source == null ? "user" : source.toLowerCase(Locale.ROOT);
  }

  static String title(String title) {
    String plain = title == null ? "" : title.replaceAll("\\s+", " ").strip();
    return plain.length() <= MAX_TITLE ? plain : plain.substring(0, MAX_TITLE - 1) + "…";
  }

  /** A message's text within the limit; a user's must say something. */
  static String text(String where, String text, boolean required) {
    String value = text == null ? "" : text;
    if (value.length() > MAX_TEXT) {
      throw new UnreadableFile(where + " has more than 100,000 characters");
    }
    if (required && value.isBlank()) {
      throw new UnreadableFile(where + " is empty");
    }
    return value;
  }

  private static OffsetDateTime time(String where, String text) {
    if (text == null) {
      return OffsetDateTime.now(ZoneOffset.UTC);
    }
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException e) {
      throw new UnreadableFile(where + ": not a time: " + text);
    }
  }

  static String string(JsonObject object, String name) {
    return object.get(name) instanceof JsonString value ? value.getString() : null;
  }

  private static JsonArray array(JsonObject object, String name) {
    if (!(object.get(name) instanceof JsonArray array)) {
      throw new UnreadableFile("\"" + name + "\" is missing or not an array");
    }
    return array;
  }

  /** ChatGPT's export: each conversation a tree of nodes; the branch the user last saw is read. */
  static final class ChatGpt {

    private ChatGpt() {}

    static List<Transferred> read(JsonArray conversations) {
      List<Transferred> read = new ArrayList<>();
      for (int i = 0; i < conversations.size(); i++) {
        String where = "conversation " + (i + 1);
        if (!(conversations.get(i) instanceof JsonObject conversation)
            || !(conversation.get("mapping") instanceof JsonObject mapping)) {
          throw new UnreadableFile(where + " has no mapping");
        }
        List<TransferredMessage> messages = new ArrayList<>();
        String model = null;
        for (JsonObject node : branch(where, conversation, mapping)) {
          if (!(node.get("message") instanceof JsonObject message)) {
            continue;
          }
          JsonObject author = message.getJsonObject("author");
          String role = author == null ? null : string(author, "role");
          if ((!"user".equals(role) && !"assistant".equals(role)) || hidden(message)) {
            continue;
          }
          String text = text(message);
          if (text.isBlank()) {
            continue;
          }
          String slug =
              message.get("metadata") instanceof JsonObject metadata
                  ? string(metadata, "model_slug")
                  : null;
          if ("assistant".equals(role) && slug != null) {
            model = slug;
          }
          messages.add(
              new TransferredMessage(
                  role,
                  ConversationFiles.text(where + ", message " + (messages.size() + 1), text, false),
                  null,
                  "complete",
                  "assistant".equals(role) ? slug : null,
                  null,
                  epoch(message.get("create_time"), conversation.get("create_time"))));
        }
        OffsetDateTime created = epoch(conversation.get("create_time"), null);
        OffsetDateTime updated = epoch(conversation.get("update_time"), null);
        read.add(
            new Transferred(
                title(string(conversation, "title")),
                "user",
                model,
                null,
                null,
                null,
                created,
                updated.isBefore(created) ? created : updated,
                messages));
      }
      return read;
    }

    /** The nodes from the root to {@code current_node} (or the last leaf), in order. */
    private static List<JsonObject> branch(
        String where, JsonObject conversation, JsonObject mapping) {
      String current = string(conversation, "current_node");
      if (current == null || !(mapping.get(current) instanceof JsonObject)) {
        current = lastLeaf(mapping);
      }
      List<JsonObject> path = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (String id = current; id != null; ) {
        if (!seen.add(id) || path.size() > 100_000) {
          throw new UnreadableFile(where + ": its messages form a loop");
        }
        if (!(mapping.get(id) instanceof JsonObject node)) {
          break;
        }
        path.add(node);
        id = string(node, "parent");
      }
      Collections.reverse(path);
      return path;
    }

    private static String lastLeaf(JsonObject mapping) {
      String leaf = null;
      for (var entry : mapping.entrySet()) {
        if (entry.getValue() instanceof JsonObject node
            && (!(node.get("children") instanceof JsonArray children) || children.isEmpty())) {
          leaf = entry.getKey();
        }
      }
      return leaf;
    }

    private static boolean hidden(JsonObject message) {
      return message.get("metadata") instanceof JsonObject metadata
          && metadata.getBoolean("is_visually_hidden_from_conversation", false);
    }

    /** The text parts of a message (images and other parts left out). */
    private static String text(JsonObject message) {
      if (!(message.get("content") instanceof JsonObject content)) {
        return "";
      }
      if (content.get("parts") instanceof JsonArray parts) {
        StringBuilder text = new StringBuilder();
        for (JsonValue part : parts) {
          if (part instanceof JsonString piece) {
            text.append(text.isEmpty() ? "" : "\n\n").append(piece.getString());
          }
        }
        return text.toString();
      }
      String text = string(content, "text");
      return text == null ? "" : text;
    }

    private static OffsetDateTime epoch(JsonValue seconds, JsonValue fallback) {
      JsonValue value = seconds instanceof JsonNumber ? seconds : fallback;
      if (!(value instanceof JsonNumber number)) {
        return OffsetDateTime.now(ZoneOffset.UTC);
      }
      BigDecimal exact = number.bigDecimalValue();
      long whole = exact.longValue();
      int nanos = exact.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
      return Instant.ofEpochSecond(whole, nanos).atOffset(ZoneOffset.UTC);
    }
  }
}
