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
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * A message of a conversation, at its position. A reply is created empty and streaming before the
 * model is called and completed (or interrupted with what arrived) at the end. A regenerated or
 * edited branch supersedes the messages it replaces; they are kept, hidden.
 */
@Entity
@Table(name = "message")
@NamedQuery(
    name = Message.PAGE,
    query =
        "select m from Message m where m.conversationId = :conversation and m.superseded = false"
            + " and m.position < :before order by m.position desc")
@NamedQuery(
    name = Message.CURRENT_FROM,
    query =
        "select m from Message m where m.conversationId = :conversation and m.superseded = false"
            + " and m.position >= :from")
@NamedQuery(
    name = Message.BY_CLIENT_ID,
    query =
        "select m from Message m where m.conversationId = :conversation"
            + " and m.clientMessageId = :clientId")
@NamedQuery(
    name = Message.REPLY_TO,
    query =
        "select m from Message m where m.parentId = :parent and m.role = :role"
            + " order by m.position desc")
@NamedQuery(
    name = Message.END_EXPIRED_LEASES,
    query =
        "update Message m set m.status = :interrupted, m.error = :why, m.errorCode = :code,"
            + " m.leaseUntil = null, m.completedAt = :now, m.version = m.version + 1"
            + " where m.status = :streaming and m.leaseUntil < :now and m.id not in :mine")
@NamedQuery(
    name = Message.ABANDON_STREAMING,
    query =
        "update Message m set m.status = :interrupted, m.error = :why"
            + " where m.status = :streaming and m.createdAt < :before")
public class Message {

  public static final String PAGE = "Message.page";
  public static final String CURRENT_FROM = "Message.currentFrom";
  public static final String BY_CLIENT_ID = "Message.byClientId";
  public static final String REPLY_TO = "Message.replyTo";
  public static final String ABANDON_STREAMING = "Message.abandonStreaming";
  public static final String END_EXPIRED_LEASES = "Message.endExpiredLeases";

  public static final int MAX_CONTENT = 100_000;

  /** Who wrote it. */
  public enum Role {
    USER,
    ASSISTANT
  }

  @Id
  @SequenceGenerator(name = "message_seq", sequenceName = "message_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "message_seq")
  private Long id;

  @Column(name = "conversation_id", nullable = false, updatable = false)
  private long conversationId;

  /** The conversation's owner, for the search index (see the V17__search migration). */
  @Column(name = "owner_id", nullable = false, updatable = false)
  private long ownerId;

  @Column(nullable = false, updatable = false)
  private int position;

  @Column(name = "parent_id", updatable = false)
  private Long parentId;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, updatable = false, length = 16)
  private Role role;

  @Column(nullable = false)
  private String content;

  private String reasoning;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 16)
  private MessageStatus status;

  @Column(nullable = false)
  private boolean superseded;

  @Column(name = "finish_reason", length = 64)
  private String finishReason;

  @Column(length = 1000)
  private String error;

  /** What kind of failure ended the reply, for clients to translate (upstream_timeout, …). */
  @Column(name = "error_code", length = 64)
  private String errorCode;

  @Column(length = 100)
  private String model;

  @Column(name = "provider_name", length = 100)
  private String providerName;

  // estimated once when the content is final; null for messages stored before it was counted
  @Column(name = "content_tokens")
  private Integer contentTokens;

  /** The tokens its attached files add to a prompt; null: none attached. */
  @Column(name = "attachment_tokens")
  private Integer attachmentTokens;

  @Column(name = "prompt_tokens")
  private Integer promptTokens;

  @Column(name = "completion_tokens")
  private Integer completionTokens;

  @Column(name = "first_token_ms")
  private Integer firstTokenMs;

  @Column(name = "duration_ms")
  private Integer durationMs;

  @Column(name = "client_message_id", length = 100, updatable = false)
  private String clientMessageId;

  @Column(name = "created_at", nullable = false, updatable = false)
  private OffsetDateTime createdAt;

  @Column(name = "completed_at")
  private OffsetDateTime completedAt;

  /** Until when the server streaming this reply holds it (null once it ended). */
  @Column(name = "lease_until")
  private OffsetDateTime leaseUntil;

  @Version private long version;

  protected Message() {}

  private Message(
      Conversation conversation, int position, Long parentId, Role role, String content) {
    this.conversationId = conversation.id();
    this.ownerId = conversation.ownerId();
    this.position = position;
    this.parentId = parentId;
    this.role = role;
    this.content = content;
    this.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
  }

  /** What the user wrote; {@code replaces} is the message an edit replaces, if any. */
  public static Message fromUser(
      Conversation conversation, String content, String clientMessageId, Long replaces) {
    return fromUser(conversation, content, clientMessageId, replaces, false);
  }

  /** The same; {@code withFiles}: files are attached to it, and its text may then be empty. */
  public static Message fromUser(
      Conversation conversation,
      String content,
      String clientMessageId,
      Long replaces,
      boolean withFiles) {
    String text = Objects.requireNonNull(content, "content");
    if ((text.isBlank() && !withFiles) || text.length() > MAX_CONTENT) {
      throw new IllegalArgumentException("A message has 1 to 100,000 characters");
    }
    if (clientMessageId != null && (clientMessageId.isBlank() || clientMessageId.length() > 100)) {
      throw new IllegalArgumentException("A client message id has 1 to 100 characters");
    }
    var message = new Message(conversation, conversation.takePosition(), replaces, Role.USER, text);
    message.clientMessageId = clientMessageId;
    message.status = MessageStatus.COMPLETE;
    message.completedAt = message.createdAt;
    return message;
  }

  /**
   * The model's reply to a user message: empty and streaming until the stream ends, held by this
   * server until {@code leaseUntil}.
   */
  public static Message replyTo(
      Conversation conversation, Message question, String model, OffsetDateTime leaseUntil) {
    var message =
        new Message(conversation, conversation.takePosition(), question.id, Role.ASSISTANT, "");
    message.status = MessageStatus.STREAMING;
    message.model = model;
    message.leaseUntil = leaseUntil;
    return message;
  }

  /**
   * A message brought in from an export (of this or another installation, or ChatGPT's): stored as
   * it was, never streaming.
   */
  public static Message imported(
      Conversation conversation,
      Role role,
      String content,
      String reasoning,
      MessageStatus status,
      String model,
      String error,
      OffsetDateTime createdAt) {
    if (content == null || content.length() > MAX_CONTENT || status == MessageStatus.STREAMING) {
      throw new IllegalArgumentException("A message has at most 100,000 characters");
    }
    var message = new Message(conversation, conversation.takePosition(), null, role, content);
    message.reasoning = reasoning;
    message.status = status;
    message.model = model == null || model.length() <= 100 ? model : model.substring(0, 100);
    message.error = error == null || error.length() <= 1000 ? error : error.substring(0, 999);
    message.createdAt = createdAt;
    message.completedAt = createdAt;
    return message;
  }

  /** Records how the stream ended. */
  public void complete(
      MessageStatus outcome,
      String text,
      String thoughts,
      String reason,
      String failure,
      String failureCode,
      String provider) {
    if (status != MessageStatus.STREAMING) {
      throw new IllegalStateException("message " + id + " is " + status + " already");
    }
    this.status = outcome;
    this.content = text == null ? "" : text;
    this.reasoning = thoughts;
    this.finishReason = reason;
    this.error = failure == null || failure.length() <= 1000 ? failure : failure.substring(0, 999);
    this.errorCode =
        failureCode == null || failureCode.length() <= 64
            ? failureCode
            : failureCode.substring(0, 64);
    this.providerName = provider;
    this.completedAt = OffsetDateTime.now(ZoneOffset.UTC);
    this.leaseUntil = null;
  }

  public void measure(Integer prompt, Integer completion, Integer firstTokenMillis, int millis) {
    this.promptTokens = prompt;
    this.completionTokens = completion;
    this.firstTokenMs = firstTokenMillis;
    this.durationMs = millis;
  }

  /** Counts the tokens of the content as it now is, once: history is not tokenized per send. */
  public void countTokens(ToIntFunction<String> estimate) {
    contentTokens = estimate.applyAsInt(content);
  }

  /** The tokens of the content: as counted, or estimated now for a message never counted. */
  public int contentTokens(ToIntFunction<String> estimate) {
    return contentTokens != null ? contentTokens : estimate.applyAsInt(content);
  }

  /** Files were attached to it, adding {@code tokens} to every prompt it is part of. */
  public void attachFiles(int tokens) {
    this.attachmentTokens = tokens;
  }

  /** Whether files are attached to it. */
  public boolean hasFiles() {
    return attachmentTokens != null;
  }

  /** The tokens its attached files add to a prompt (0 without any). */
  public int attachmentTokens() {
    return attachmentTokens == null ? 0 : attachmentTokens;
  }

  public void supersede() {
    this.superseded = true;
  }

  public boolean isStreaming() {
    return status == MessageStatus.STREAMING;
  }

  public Long id() {
    return id;
  }

  public long conversationId() {
    return conversationId;
  }

  public int position() {
    return position;
  }

  public Long parentId() {
    return parentId;
  }

  public Role role() {
    return role;
  }

  public String content() {
    return content;
  }

  public String reasoning() {
    return reasoning;
  }

  public MessageStatus status() {
    return status;
  }

  public boolean superseded() {
    return superseded;
  }

  public String finishReason() {
    return finishReason;
  }

  public String error() {
    return error;
  }

  public String errorCode() {
    return errorCode;
  }

  public String model() {
    return model;
  }

  public String providerName() {
    return providerName;
  }

  public Integer promptTokens() {
    return promptTokens;
  }

  public Integer completionTokens() {
    return completionTokens;
  }

  public Integer firstTokenMs() {
    return firstTokenMs;
  }

  public Integer durationMs() {
    return durationMs;
  }

  public String clientMessageId() {
    return clientMessageId;
  }

  public OffsetDateTime createdAt() {
    return createdAt;
  }

  public OffsetDateTime completedAt() {
    return completedAt;
  }
}
