package com.llmchat.conversations.entity;

import java.time.OffsetDateTime;

/** What a listing shows of an attachment: everything but its bytes and text. */
public record AttachmentInfo(
    long id,
    long conversationId,
    Long messageId,
    String name,
    String mediaType,
    AttachmentKind kind,
    int sizeBytes,
    Integer width,
    Integer height,
    int tokens,
    OffsetDateTime createdAt) {

  public boolean isImage() {
    return kind == AttachmentKind.IMAGE;
  }
}
