package com.llmchat.usage.boundary;

import com.llmchat.accounts.control.Callers;
import com.llmchat.providers.entity.CompletionResult;
import com.llmchat.usage.control.Reservations;
import com.llmchat.usage.control.UsageLedger;
import com.llmchat.usage.entity.UsageRecord;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Token usage per day, user and model: everybody's for administrators, one's own for users. */
@Stateless
public class Usage {

  private static final long MAX_DAYS = 366;

  /**
   * One day's use of one model by one user: in the chat ({@code apiKeyId} null) or through {@code
   * /v1} with one of their API keys.
   */
  public record Day(
      LocalDate day,
      String username,
      String model,
      long requests,
      long promptTokens,
      long completionTokens,
      long reasoningTokens,
      long estimatedRequests,
      Long apiKeyId) {}

  @PersistenceContext EntityManager em;
  @Inject Callers callers;
  @Inject UsageLedger ledger;
  @Inject Reservations reservations;

  /**
   * The ledger row of a completion that has no reply to be stored with ({@code /v1}) and the
   * settlement of its reservation, in one statement that commits by itself (see {@link
   * UsageLedger#recordSettled}): no transaction to begin, enlist in and end per call.
   */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public UsageRecord record(
      UsageRecord.Subject subject,
      int estimatedPrompt,
      CompletionResult result,
      Long reservationId) {
    // the reservation settles with the ledger row, or not at all
    return ledger.recordSettled(subject, estimatedPrompt, result, reservationId);
  }

  /** Gives a reservation back with {@code usedTokens} counted (none: {@code 0}). */
  public void settle(Long reservationId, long usedTokens) {
    reservations.settle(reservationId, usedTokens);
  }

  public List<Day> everybody(LocalDate from, LocalDate to) {
    callers.requireAdmin();
    return daily(from, to, null);
  }

  /** Whose usage a report covers: everybody, a group's members, or one API key's calls. */
  public record Filter(Long groupId, Long keyId) {
    public static final Filter EVERYBODY = new Filter(null, null);
  }

  /** The usage of the accounts in a group, or of one key's calls (administrators). */
  public List<Day> filtered(LocalDate from, LocalDate to, Filter filter) {
    callers.requireAdmin();
    if (filter.keyId() != null) {
      return daily(from, to, UsageRecord.DAILY_OF_KEY, "key", filter.keyId());
    }
    if (filter.groupId() != null) {
      return daily(from, to, UsageRecord.DAILY_OF_GROUP, "group", filter.groupId());
    }
    return daily(from, to, null);
  }

  /** An administrator's dashboard: usage summed per day, model and top user. */
  public UsageReport report(LocalDate from, LocalDate to, int topUsers, Filter filter) {
    return UsageReport.of(from, to, filtered(from, to, filter), topUsers);
  }

  /** What the calls made with one API key used since a day. */
  public record KeyUsage(long requests, long promptTokens, long completionTokens) {

    public long tokens() {
      return promptTokens + completionTokens;
    }
  }

  /** The days {@link #ofMyKeys} and {@link #ofAllKeys} look back over, today included. */
  public static final int KEY_USAGE_DAYS = 30;

  /** The caller's API keys' use over the last {@value #KEY_USAGE_DAYS} days, by key id. */
  public Map<Long, KeyUsage> ofMyKeys() {
    return byKey(callers.current().id());
  }

  /** Every API key's use over the last {@value #KEY_USAGE_DAYS} days (administrators). */
  public Map<Long, KeyUsage> ofAllKeys() {
    callers.requireAdmin();
    return byKey(null);
  }

  private Map<Long, KeyUsage> byKey(Long account) {
    var query =
        em.createNamedQuery(
                account == null ? UsageRecord.BY_KEY : UsageRecord.BY_KEY_OF_ACCOUNT,
                Object[].class)
            .setParameter("from", LocalDate.now(ZoneOffset.UTC).minusDays(KEY_USAGE_DAYS - 1));
    if (account != null) {
      query.setParameter("account", account);
    }
    Map<Long, KeyUsage> usage = new HashMap<>();
    for (Object[] row : query.getResultList()) {
      usage.put(
          ((Number) row[0]).longValue(),
          new KeyUsage(
              ((Number) row[1]).longValue(),
              ((Number) row[2]).longValue(),
              ((Number) row[3]).longValue()));
    }
    return usage;
  }

  public List<Day> mine(LocalDate from, LocalDate to) {
    return daily(from, to, callers.current().id());
  }

  private List<Day> daily(LocalDate from, LocalDate to, Long account) {
    return account == null
        ? daily(from, to, UsageRecord.DAILY, null, null)
        : daily(from, to, UsageRecord.DAILY_OF_ACCOUNT, "account", account);
  }

  private List<Day> daily(
      LocalDate from, LocalDate to, String queryName, String parameter, Long value) {
    if (from.isAfter(to) || ChronoUnit.DAYS.between(from, to) > MAX_DAYS) {
      throw new IllegalArgumentException("from must be on or before to, at most a year apart");
    }
    var query =
        em.createNamedQuery(queryName, Object[].class)
            .setParameter("from", from)
            .setParameter("to", to)
            .setParameter("estimated", UsageRecord.Source.ESTIMATED);
    if (parameter != null) {
      query.setParameter(parameter, value);
    }
    return query
        .getResultStream()
        .map(
            row ->
                new Day(
                    (LocalDate) row[0],
                    (String) row[1],
                    (String) row[2],
                    ((Number) row[4]).longValue(),
                    ((Number) row[5]).longValue(),
                    ((Number) row[6]).longValue(),
                    ((Number) row[7]).longValue(),
                    ((Number) row[8]).longValue(),
                    row[3] == null ? null : ((Number) row[3]).longValue()))
        .toList();
  }
}
