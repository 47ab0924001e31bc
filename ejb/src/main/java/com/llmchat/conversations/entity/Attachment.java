package com.llmchat.conversations.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A file attached to a user's message: uploaded into a conversation first (no message yet), then
 * bound to the message that sends it. A text-like file keeps its text for prompts; an image its
 * bytes, sent to models that see images. Listings read {@link AttachmentInfo} (no bytes, no text);
 * the bytes are read for a download or a prompt only. Never in EclipseLink's shared cache.
 */
@Entity
@Table(name = "attachment")
@NamedQuery(
    name = Attachment.INFO_OF_CONVERSATION,
    query =
        "select new com.llmchat.conversations.entity.AttachmentInfo(a.id, a.conversationId,"
            + " a.messageId, a.name, a.mediaType, a.kind, a.sizeBytes, a.width, a.height,"
            + " a.tokens, a.createdAt) from Attachment a where a.conversationId = :conversation"
            + " order by a.id")
@NamedQuery(
    name = Attachment.INFO_OF_MESSAGES,
    query =
        "select new com.llmchat.conversations.entity.AttachmentInfo(a.id, a.conversationId,"
            + " a.messageId, a.name, a.mediaType, a.kind, a.sizeBytes, a.width, a.height,"
            + " a.tokens, a.createdAt) from Attachment a where a.messageId in :messages"
            + " order by a.id")
@NamedQuery(
    name = Attachment.OF_MESSAGES,
    query = "select a from Attachment a where a.messageId in :messages order by a.id")
@NamedQuery(
    name = Attachment.PENDING,
    query =
        "select a from Attachment a where a.conversationId = :conversation"
            + " and a.messageId is null and a.id in :ids order by a.id")
@NamedQuery(
    name = Attachment.PENDING_COUNT,
    query =
        "select count(a) from Attachment a where a.conversationId = :conversation"
            + " and a.messageId is null")
@NamedQuery(
    name = Attachment.MOVE,
    query = "update Attachment a set a.messageId = :to where a.messageId = :from")
@NamedQuery(
    name = Attachment.DELETE_UNSENT_BEFORE,
    query = "delete from Attachment a where a.messageId is null and a.createdAt < :before")
public class Attachment {

  public static final String INFO_OF_CONVERSATION = "Attachment.infoOfConversation";
  public static final String INFO_OF_MESSAGES = "Attachment.infoOfMessages";
  public static final String OF_MESSAGES = "Attachment.ofMessages";
  public static final String PENDING = "Attachment.pending";
  public static final String PENDING_COUNT = "Attachment.pendingCount";
  public static final String MOVE = "Attachment.move";
  public static final String DELETE_UNSENT_BEFORE = "Attachment.deleteUnsentBefore";

  @Id
  @SequenceGenerator(name = "attachment_seq", sequenceName = "attachment_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "attachment_seq")
  private Long id;

  @Column(name = "owner_id", nullable = false, updatable = false)
  private long ownerId;

  @Column(name = "conversation_id", nullable = false, updatable = false)
  private long conversationId;

  @Column(name = "message_id")
  private Long messageId;

  @Column(nullable = false, updatable = false)
  private String name;

  @Column(name = "media_type", nullable = false, updatable = false, length = 100)
  private String mediaType;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, updatable = false, length = 8)
  private AttachmentKind kind;

  @Column(name = "size_bytes", nullable = false, updatable = false)
  private int sizeBytes;

  @Column(updatable = false)
  private Integer width;

  @Column(updatable = false)
  private Integer height;

  @Column(nullable = false, updatable = false)
  private int tokens;

  @Column(updatable = false)
  private String text;

  @Column(nullable = false, updatable = false)
  private byte[] content;

  @Column(name = "created_at", nullable = false, updatable = false)
  private OffsetDateTime createdAt;

  protected Attachment() {}

  /** A file as uploaded into a conversation, with what its bytes were read to be. */
  public Attachment(
      Conversation conversation,
      String name,
      byte[] content,
      AttachmentKind kind,
      String mediaType,
      String text,
      int width,
      int height,
      int tokens) {
    this.ownerId = conversation.ownerId();
    this.conversationId = conversation.id();
    this.name = Objects.requireNonNull(name, "name");
    this.content = Objects.requireNonNull(content, "content");
    this.sizeBytes = content.length;
    this.mediaType = Objects.requireNonNull(mediaType, "mediaType");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.text = text;
    this.width = kind == AttachmentKind.IMAGE ? width : null;
    this.height = kind == AttachmentKind.IMAGE ? height : null;
    this.tokens = tokens;
    this.createdAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }

  /** Sent with a message: from now on part of it, and of the prompts it is in. */
  public void sendWith(Message message) {
    this.messageId = message.id();
  }

  public AttachmentInfo info() {
    return new AttachmentInfo(
        id,
        conversationId,
        messageId,
        name,
        mediaType,
        kind,
        sizeBytes,
        width,
        height,
        tokens,
        createdAt);
  }

  public Long id() {
    return id;
  }

  public long ownerId() {
    return ownerId;
  }

  public long conversationId() {
    return conversationId;
  }

  public Long messageId() {
    return messageId;
  }

  public String name() {
    return name;
  }

  public String mediaType() {
    return mediaType;
  }

  public AttachmentKind kind() {
    return kind;
  }

  public boolean isImage() {
    return kind == AttachmentKind.IMAGE;
  }

  public int tokens() {
    return tokens;
  }

  public String text() {
    return text;
  }

  /** The file's bytes as uploaded (not a copy: not to be changed). */
  public byte[] content() {
    return content;
  }
}
