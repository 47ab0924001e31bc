package com.llmchat.rest;

import com.llmchat.conversations.entity.AttachmentInfo;
import com.llmchat.json.JsonFactory;
import jakarta.json.JsonObjectBuilder;
import java.util.Locale;

/**
 * A file attached to a message (or waiting for the next one: no message id): its name, its type as
 * read from its bytes, its size and what it adds to a prompt; the bytes are downloaded apart.
 */
public record AttachmentView(
    long id,
    long conversationId,
    Long messageId,
    String name,
    String mediaType,
    String kind,
    int size,
    Integer width,
    Integer height,
    int tokens,
    String createdAt) {

  static AttachmentView of(AttachmentInfo info) {
    return new AttachmentView(
        info.id(),
        info.conversationId(),
        info.messageId(),
        info.name(),
        info.mediaType(),
        info.kind().name().toLowerCase(Locale.ROOT),
        info.sizeBytes(),
        info.width(),
        info.height(),
        info.tokens(),
        info.createdAt().toString());
  }

  JsonObjectBuilder json() {
    JsonObjectBuilder json =
        JsonFactory.object()
            .add("id", id)
            .add("conversationId", conversationId)
            .add("name", name)
            .add("mediaType", mediaType)
            .add("kind", kind)
            .add("size", size)
            .add("tokens", tokens)
            .add("createdAt", createdAt);
    if (messageId != null) {
      json.add("messageId", messageId);
    }
    if (width != null) {
      json.add("width", width).add("height", height);
    }
    return json;
  }
}
