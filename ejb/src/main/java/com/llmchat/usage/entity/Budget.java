package com.llmchat.usage.entity;

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

/**
 * How many tokens and requests an account, a group (a pool its members share) or an API key may use
 * per minute (a rate limit), per day or per calendar month (a budget). A call counts against every
 * budget that applies to it: its account's, each of the account's groups', its key's.
 */
@Entity
@Table(name = "budget")
@NamedQuery(
    name = Budget.ALL,
    query = "select b from Budget b order by b.accountId, b.groupId, b.apiKeyId, b.period")
@NamedQuery(
    name = Budget.OF_CALLER,
    query =
        "select b from Budget b where b.accountId = :account or b.apiKeyId = :key or exists"
            + " (select m from Membership m"
            + " where m.groupId = b.groupId and m.accountId = :account)"
            + " order by b.period, b.id")
@NamedQuery(
    name = Budget.OF_HOLDER,
    query =
        "select b from Budget b where b.period = :period and (b.accountId = :account"
            + " or b.groupId = :group or b.apiKeyId = :key)")
public class Budget {

  public static final String ALL = "Budget.all";

  /**
   * A holder's budget for a period: the holder's id as :account, :group or :key, -1 for the rest.
   */
  public static final String OF_HOLDER = "Budget.ofHolder";

  public static final String OF_CALLER = "Budget.ofCaller";

  /** The stretch of time a budget's counts cover, in the budgets' time zone. */
  public enum Period {
    /** A rate limit: per clock minute. */
    MINUTE,
    DAY,
    /** A calendar month. */
    MONTH;

    public boolean isRateLimit() {
      return this == MINUTE;
    }
  }

  /** Whose budget it is. */
  public enum Holder {
    ACCOUNT,
    GROUP,
    KEY
  }

  @Id
  @SequenceGenerator(name = "budget_seq", sequenceName = "budget_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "budget_seq")
  private Long id;

  @Column(name = "account_id", updatable = false)
  private Long accountId;

  @Column(name = "group_id", updatable = false)
  private Long groupId;

  @Column(name = "api_key_id", updatable = false)
  private Long apiKeyId;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 8, updatable = false)
  private Period period;

  @Column(name = "token_limit")
  private Long tokenLimit;

  @Column(name = "request_limit")
  private Long requestLimit;

  @Column(name = "created_at", nullable = false, updatable = false)
  private OffsetDateTime createdAt;

  @Version private long version;

  protected Budget() {}

  public Budget(Holder holder, long holderId, Period period, Long tokenLimit, Long requestLimit) {
    switch (holder) {
      case ACCOUNT -> this.accountId = holderId;
      case GROUP -> this.groupId = holderId;
      case KEY -> this.apiKeyId = holderId;
    }
    if (period == null) {
      throw new IllegalArgumentException("a budget needs a period: MINUTE, DAY or MONTH");
    }
    this.period = period;
    limit(tokenLimit, requestLimit);
    this.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
  }

  /** New limits; at least one, neither negative. */
  public void limit(Long tokens, Long requests) {
    if (tokens == null && requests == null) {
      throw new IllegalArgumentException("a budget limits tokens, requests or both");
    }
    if ((tokens != null && tokens < 0) || (requests != null && requests < 0)) {
      throw new IllegalArgumentException("limits are 0 or more");
    }
    this.tokenLimit = tokens;
    this.requestLimit = requests;
  }

  public Holder holder() {
    return accountId != null ? Holder.ACCOUNT : groupId != null ? Holder.GROUP : Holder.KEY;
  }

  public long holderId() {
    return accountId != null ? accountId : groupId != null ? groupId : apiKeyId;
  }

  public Long id() {
    return id;
  }

  public Period period() {
    return period;
  }

  public Long tokenLimit() {
    return tokenLimit;
  }

  public Long requestLimit() {
    return requestLimit;
  }

  public OffsetDateTime createdAt() {
    return createdAt;
  }
}
