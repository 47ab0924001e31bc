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
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** One user's conversation with a model: its settings, and the position of the next message. */
@Entity
@Table(name = "conversation")
@NamedQuery(
    name = Conversation.RECENT,
    query =
        "select c from Conversation c where c.ownerId = :owner"
            + " and lower(c.title) like :title"
            + " order by c.updatedAt desc, c.id desc")
@NamedQuery(
    name = Conversation.RECENT_BEFORE,
    query =
        "select c from Conversation c where c.ownerId = :owner"
            + " and lower(c.title) like :title and (c.updatedAt < :updated"
            + " or (c.updatedAt = :updated and c.id < :id)) order by c.updatedAt desc, c.id desc")
public class Conversation {

  public static final String RECENT = "Conversation.recent";
  public static final String RECENT_BEFORE = "Conversation.recentBefore";

  public static final String DEFAULT_TITLE = "New conversation";

  /**
   * Where the title comes from: only one taken from the first message is replaced by the model's.
   */
  public enum TitleSource {
    DEFAULT,
    MESSAGE,
    MODEL,
    USER
  }

  @Id
  @SequenceGenerator(
      name = "conversation_seq",
      sequenceName = "conversation_seq",
      allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "conversation_seq")
  private Long id;

  @Column(name = "owner_id", nullable = false, updatable = false)
  private long ownerId;

  @Column(nullable = false, length = 200)
  private String title;

  @Enumerated(EnumType.STRING)
  @Column(name = "title_source", nullable = false, length = 16)
  private TitleSource titleSource;

  @Column(nullable = false, length = 100)
  private String model;

  @Column(name = "system_prompt")
  private String systemPrompt;

  private Double temperature;

  @Column(name = "max_tokens")
  private Integer maxTokens;

  /** The preset it began from (null: none, or the preset was deleted since). */
  @Column(name = "preset_id")
  private Long presetId;

  @Column(name = "next_position", nullable = false)
  private int nextPosition;

  @Column(name = "created_at", nullable = false, updatable = false)
  private OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  private OffsetDateTime updatedAt;

  @Version private long version;

  protected Conversation() {}

  public Conversation(long ownerId, String title, String model) {
    this.ownerId = ownerId;
    this.createdAt = now();
    this.updatedAt = createdAt;
    rename(title);
    switchModel(model);
  }

  /**
   * A conversation brought in from an export: its title as it was (one from a first message still
   * awaits the model's), its times as they were.
   */
  public static Conversation imported(
      long ownerId,
      String title,
      TitleSource source,
      String model,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt) {
    var conversation = new Conversation(ownerId, title, model);
    if (conversation.titleSource == TitleSource.USER && source != TitleSource.USER) {
      conversation.titleSource = source == TitleSource.DEFAULT ? TitleSource.USER : source;
    }
    conversation.createdAt = createdAt.truncatedTo(ChronoUnit.MICROS);
    conversation.updatedAt = updatedAt.truncatedTo(ChronoUnit.MICROS);
    return conversation;
  }

  /** Puts back the time of the last activity an import carried (taking positions moved it). */
  public void activeAt(OffsetDateTime time) {
    this.updatedAt = time.truncatedTo(ChronoUnit.MICROS);
  }

  /** The user's title (blank: none); never replaced by another. */
  public void rename(String newTitle) {
    this.titleSource = retitle(newTitle) ? TitleSource.USER : TitleSource.DEFAULT;
  }

  /** Titles an untitled conversation after its first message, until the model names it. */
  public void titleAfter(String firstMessage) {
    if (titleSource == TitleSource.DEFAULT
        && retitle(abbreviate(firstMessage.strip().replaceAll("\\s+", " "), 60))) {
      titleSource = TitleSource.MESSAGE;
    }
  }

  /** Whether the title is the first message's still, which the model's would replace. */
  public boolean awaitsModelTitle() {
    return titleSource == TitleSource.MESSAGE;
  }

  /** The model's title, unless the user named the conversation meanwhile; whether it was taken. */
  public boolean nameByModel(String generated) {
    if (titleSource != TitleSource.MESSAGE || generated == null || generated.isBlank()) {
      return false;
    }
    retitle(generated);
    titleSource = TitleSource.MODEL;
    return true;
  }

  private boolean retitle(String newTitle) {
    String trimmed = newTitle == null ? "" : newTitle.strip().replaceAll("\\s+", " ");
    this.title = trimmed.isEmpty() ? DEFAULT_TITLE : abbreviate(trimmed, 200);
    return !trimmed.isEmpty();
  }

  public void switchModel(String alias) {
    String trimmed = Objects.requireNonNull(alias, "model").strip();
    if (trimmed.isEmpty() || trimmed.length() > 100) {
      throw new IllegalArgumentException("A model alias has 1 to 100 characters");
    }
    this.model = trimmed;
  }

  /** The system prompt and parameters; null leaves the model's defaults. */
  public void configure(String newSystemPrompt, Double newTemperature, Integer newMaxTokens) {
    if (newTemperature != null && (newTemperature < 0 || newTemperature > 2)) {
      throw new IllegalArgumentException("Temperature is between 0 and 2");
    }
    if (newMaxTokens != null && (newMaxTokens < 1 || newMaxTokens > 1_000_000)) {
      throw new IllegalArgumentException("Max tokens is between 1 and 1,000,000");
    }
    if (newSystemPrompt != null && newSystemPrompt.length() > 100_000) {
      throw new IllegalArgumentException("The system prompt has at most 100,000 characters");
    }
    this.systemPrompt =
        newSystemPrompt == null || newSystemPrompt.isBlank() ? null : newSystemPrompt;
    this.temperature = newTemperature;
    this.maxTokens = newMaxTokens;
  }

  /** Hands out the position for a new message and marks the conversation as active now. */
  public int takePosition() {
    touch();
    return nextPosition++;
  }

  public void touch() {
    this.updatedAt = now();
  }

  private static OffsetDateTime now() {
    // PostgreSQL keeps microseconds: compare keyset cursors at the precision stored
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }

  private static String abbreviate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  public boolean isOwnedBy(long accountId) {
    return ownerId == accountId;
  }

  public Long id() {
    return id;
  }

  public long ownerId() {
    return ownerId;
  }

  public String title() {
    return title;
  }

  public TitleSource titleSource() {
    return titleSource;
  }

  public void startedFrom(long preset) {
    this.presetId = preset;
  }

  public Long presetId() {
    return presetId;
  }

  public String model() {
    return model;
  }

  public String systemPrompt() {
    return systemPrompt;
  }

  public Double temperature() {
    return temperature;
  }

  public Integer maxTokens() {
    return maxTokens;
  }

  public OffsetDateTime createdAt() {
    return createdAt;
  }

  public OffsetDateTime updatedAt() {
    return updatedAt;
  }
}
