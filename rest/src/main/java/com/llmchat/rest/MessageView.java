package com.llmchat.rest;

import com.llmchat.conversations.entity.AttachmentInfo;
import com.llmchat.conversations.entity.Message;
import com.llmchat.json.JsonFactory;
import jakarta.json.JsonObjectBuilder;
import java.util.List;
import java.util.Locale;

/** A message as the API shows it; role and status in lower case. */
public record MessageView(
    long id,
    long conversationId,
    int position,
    Long parentId,
    String role,
    String content,
    String reasoning,
    String status,
    String finishReason,
    String error,
    String errorCode,
    String model,
    String provider,
    Integer promptTokens,
    Integer completionTokens,
    Integer firstTokenMs,
    Integer durationMs,
    String clientMessageId,
    String createdAt,
    String completedAt,
    List<AttachmentView> attachments) {

  static MessageView of(Message message) {
    return of(message, List.of());
  }

  /** A message with the files attached to it. */
  static MessageView of(Message message, List<AttachmentInfo> files) {
    return new MessageView(
        message.id(),
        message.conversationId(),
        message.position(),
        message.parentId(),
        message.role().name().toLowerCase(Locale.ROOT),
        message.content(),
        message.reasoning(),
        message.status().name().toLowerCase(Locale.ROOT),
        message.finishReason(),
        message.error(),
        message.errorCode(),
        message.model(),
        message.providerName(),
        message.promptTokens(),
        message.completionTokens(),
        message.firstTokenMs(),
        message.durationMs(),
        message.clientMessageId(),
        message.createdAt().toString(),
        message.completedAt() == null ? null : message.completedAt().toString(),
        files.stream().map(AttachmentView::of).toList());
  }

  /** The same as JSON, for server-sent events (written by hand there, not by JSON-B). */
  JsonObjectBuilder json() {
    JsonObjectBuilder json =
        JsonFactory.object()
            .add("id", id)
            .add("conversationId", conversationId)
            .add("position", position)
            .add("role", role)
            .add("content", content)
            .add("status", status);
    if (parentId != null) {
      json.add("parentId", parentId);
    }
    optional(json, "reasoning", reasoning);
    optional(json, "finishReason", finishReason);
    optional(json, "error", error);
    optional(json, "errorCode", errorCode);
    optional(json, "model", model);
    optional(json, "provider", provider);
    optional(json, "clientMessageId", clientMessageId);
    if (promptTokens != null) {
      json.add("promptTokens", promptTokens);
    }
    if (completionTokens != null) {
      json.add("completionTokens", completionTokens);
    }
    if (firstTokenMs != null) {
      json.add("firstTokenMs", firstTokenMs);
    }
    if (durationMs != null) {
      json.add("durationMs", durationMs);
    }
    json.add("createdAt", createdAt);
    optional(json, "completedAt", completedAt);
    if (!attachments.isEmpty()) {
      var files = JsonFactory.array();
      attachments.forEach(file -> files.add(file.json()));
      json.add("attachments", files);
    }
    return json;
  }

  private static void optional(JsonObjectBuilder json, String key, String value) {
    if (value != null) {
      json.add(key, value);
    }
  }
}
