package com.llmchat.usage.entity;

import com.llmchat.providers.entity.Route;
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
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The tokens one completion used, as the model server reported them or, when it reported none, as
 * estimated. Kept when the user or the conversation is deleted: it is the accounting.
 */
@Entity
@Table(name = "usage_record")
@NamedQuery(name = UsageRecord.DAILY, query = UsageRecord.DAILY_SELECT + UsageRecord.DAILY_GROUPS)
@NamedQuery(
    name = UsageRecord.DAILY_OF_ACCOUNT,
    query = UsageRecord.DAILY_SELECT + " and r.accountId = :account" + UsageRecord.DAILY_GROUPS)
@NamedQuery(
    name = UsageRecord.DAILY_OF_GROUP,
    query =
        UsageRecord.DAILY_SELECT
            + " and exists (select m from Membership m where m.groupId = :group"
            + " and m.accountId = r.accountId)"
            + UsageRecord.DAILY_GROUPS)
@NamedQuery(
    name = UsageRecord.DAILY_OF_KEY,
    query = UsageRecord.DAILY_SELECT + " and r.apiKeyId = :key" + UsageRecord.DAILY_GROUPS)
@NamedQuery(
    name = UsageRecord.BY_KEY,
    query = UsageRecord.BY_KEY_SELECT + UsageRecord.BY_KEY_GROUPS)
@NamedQuery(
    name = UsageRecord.BY_KEY_OF_ACCOUNT,
    query = UsageRecord.BY_KEY_SELECT + " and r.accountId = :account" + UsageRecord.BY_KEY_GROUPS)
public class UsageRecord {

  public static final String BY_KEY = "UsageRecord.byKey";
  public static final String BY_KEY_OF_ACCOUNT = "UsageRecord.byKeyOfAccount";
  static final String BY_KEY_SELECT =
      "select r.apiKeyId, count(r), sum(r.promptTokens), sum(r.completionTokens)"
          + " from UsageRecord r where r.apiKeyId is not null and r.usageDay >= :from";
  static final String BY_KEY_GROUPS = " group by r.apiKeyId";

  public static final String DAILY = "UsageRecord.daily";
  public static final String DAILY_OF_ACCOUNT = "UsageRecord.dailyOfAccount";

  /** Of the accounts in a group now (a group's usage before a member joined counts too). */
  public static final String DAILY_OF_GROUP = "UsageRecord.dailyOfGroup";

  public static final String DAILY_OF_KEY = "UsageRecord.dailyOfKey";
  static final String DAILY_SELECT =
      "select r.usageDay, r.username, r.model, r.apiKeyId, count(r), sum(r.promptTokens),"
          + " sum(r.completionTokens), sum(r.reasoningTokens),"
          + " sum(case when r.source = :estimated then 1 else 0 end)"
          + " from UsageRecord r where r.usageDay between :from and :to";
  static final String DAILY_GROUPS =
      " group by r.usageDay, r.username, r.model, r.apiKeyId"
          + " order by r.usageDay desc, r.username, r.model, r.apiKeyId";

  /** Where the counts come from. */
  public enum Source {
    UPSTREAM,
    ESTIMATED
  }

  @Id
  @SequenceGenerator(
      name = "usage_record_seq",
      sequenceName = "usage_record_seq",
      allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "usage_record_seq")
  private Long id;

  @Column(name = "account_id", updatable = false)
  private Long accountId;

  @Column(nullable = false, updatable = false, length = 64)
  private String username;

  @Column(name = "api_key_id", updatable = false)
  private Long apiKeyId;

  @Column(name = "conversation_id", updatable = false)
  private Long conversationId;

  @Column(name = "message_id", updatable = false)
  private Long messageId;

  @Column(nullable = false, updatable = false, length = 100)
  private String model;

  @Column(name = "provider_id", updatable = false)
  private Long providerId;

  @Column(name = "provider_name", updatable = false, length = 100)
  private String providerName;

  @Column(name = "upstream_model", updatable = false, length = 200)
  private String upstreamModel;

  @Column(name = "prompt_tokens", nullable = false, updatable = false)
  private int promptTokens;

  @Column(name = "completion_tokens", nullable = false, updatable = false)
  private int completionTokens;

  @Column(name = "reasoning_tokens", nullable = false, updatable = false)
  private int reasoningTokens;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, updatable = false, length = 16)
  private Source source;

  @Column(nullable = false, updatable = false, length = 16)
  private String outcome;

  @Column(name = "first_token_ms", updatable = false)
  private Integer firstTokenMs;

  @Column(name = "duration_ms", nullable = false, updatable = false)
  private int durationMs;

  @Column(name = "usage_day", nullable = false, updatable = false)
  private LocalDate usageDay;

  @Column(name = "created_at", nullable = false, updatable = false)
  private OffsetDateTime createdAt;

  protected UsageRecord() {}

  /**
   * Who used which model, and through which provider: in a conversation (its ids) or through the
   * {@code /v1} API with a key ({@code apiKeyId}).
   */
  public record Subject(
      long accountId,
      String username,
      Long apiKeyId,
      Long conversationId,
      Long messageId,
      String model,
      Long providerId,
      String providerName,
      String upstreamModel) {

    /** A call in a conversation (or for it: its title) answered through {@code route}. */
    public static Subject ofConversation(
        long accountId,
        String username,
        Long conversationId,
        Long messageId,
        String model,
        Route route) {
      return new Subject(
          accountId,
          username,
          null,
          conversationId,
          messageId,
          model,
          route == null ? null : route.providerId(),
          route == null ? null : route.providerName(),
          route == null ? null : route.upstreamModel());
    }
  }

  /** The counts and times. */
  public record Counts(
      int promptTokens,
      int completionTokens,
      int reasoningTokens,
      Source source,
      String outcome,
      Integer firstTokenMs,
      int durationMs) {}

  public UsageRecord(Subject subject, Counts counts) {
    this.accountId = subject.accountId();
    this.username = subject.username();
    this.apiKeyId = subject.apiKeyId();
    this.conversationId = subject.conversationId();
    this.messageId = subject.messageId();
    this.model = subject.model();
    this.providerId = subject.providerId();
    this.providerName = subject.providerName();
    this.upstreamModel = subject.upstreamModel();
    if (counts.promptTokens() < 0
        || counts.completionTokens() < 0
        || counts.reasoningTokens() < 0) {
      throw new IllegalArgumentException("token counts are never negative");
    }
    this.promptTokens = counts.promptTokens();
    this.completionTokens = counts.completionTokens();
    this.reasoningTokens = counts.reasoningTokens();
    this.source = counts.source();
    this.outcome = counts.outcome();
    this.firstTokenMs = counts.firstTokenMs();
    this.durationMs = counts.durationMs();
    this.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
    this.usageDay = createdAt.toLocalDate();
  }

  /**
   * The columns of a row written without JPA (an application's call, with its settlement in one
   * statement), the id first: {@link #values} gives the rest in this order.
   */
  public static final String COLUMNS =
      "id, account_id, username, api_key_id, conversation_id, message_id, model, provider_id,"
          + " provider_name, upstream_model, prompt_tokens, completion_tokens, reasoning_tokens,"
          + " source, outcome, first_token_ms, duration_ms, usage_day, created_at";

  /** This record's values for {@link #COLUMNS} after the id. */
  public Object[] values() {
    return new Object[] {
      accountId,
      username,
      apiKeyId,
      conversationId,
      messageId,
      model,
      providerId,
      providerName,
      upstreamModel,
      promptTokens,
      completionTokens,
      reasoningTokens,
      source.name(),
      outcome,
      firstTokenMs,
      durationMs,
      usageDay,
      createdAt
    };
  }

  public Long id() {
    return id;
  }

  public int promptTokens() {
    return promptTokens;
  }

  public int completionTokens() {
    return completionTokens;
  }

  public int reasoningTokens() {
    return reasoningTokens;
  }

  public Source source() {
    return source;
  }
}
