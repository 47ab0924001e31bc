package com.llmchat.usage.control;

import com.llmchat.usage.entity.Budget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What budgets' current periods (in the budgets' time zone) have used, held and counted. */
@ApplicationScoped
public class BudgetPeriods {

  /** One budget's current period: when it began and resets, and its counts. */
  public record Counts(
      Instant start, Instant resetsAt, long usedTokens, long reservedTokens, long requests) {}

  /**
   * SQL: the first instant of the current period of a budget whose period is in column {@code
   * period} — the clock minute for rate limits, else midnight of the day or of the month's first
   * day in the budgets' time zone (parameter 1).
   */
  static String startOf(String period) {
    return """
        case %1$s
          when 'MINUTE' then date_trunc('minute', now())
          when 'DAY' then date_trunc('day', now() at time zone cast(?1 as text))
              at time zone cast(?1 as text)
          else date_trunc('month', now() at time zone cast(?1 as text))
              at time zone cast(?1 as text)
        end"""
        .formatted(period);
  }

  /** SQL: when the period beginning at {@code start} ends, as {@link #startOf}. */
  static String resetOf(String period, String start) {
    return """
        case %1$s
          when 'MINUTE' then %2$s + interval '1 minute'
          when 'DAY' then ((%2$s at time zone cast(?1 as text)) + interval '1 day')
              at time zone cast(?1 as text)
          else ((%2$s at time zone cast(?1 as text)) + interval '1 month')
              at time zone cast(?1 as text)
        end"""
        .formatted(period, start);
  }

  /**
   * SQL: what the settled reservations of budget {@code budget}'s period {@code start} change in
   * its counters until they are folded in (see {@link Reservations}): {@code held} tokens and
   * {@code requests} to give back, {@code used} tokens to add.
   */
  static String pendingOf(String budget, String start) {
    return """
        select coalesce(sum(g.held), 0) as held, coalesce(sum(g.requests), 0) as requests,
          coalesce(sum(g.used), 0) as used
        from (select %3$s
              from reservation_hold h join reservation r on r.id = h.reservation_id
              where h.budget_id = %1$s and h.period_start = %2$s and h.settled) g"""
        .formatted(budget, start, GIVES_BACK);
  }

  /**
   * SQL: what a settled reservation {@code r} gives back when folded in — the tokens it holds (none
   * once released), one request when refused — and what it used.
   */
  static final String GIVES_BACK =
      """
      case when r.state = 'RELEASED' then 0 else r.tokens end as held,
      case when r.state = 'REFUSED' then 1 else 0 end as requests,
      r.used_tokens as used""";

  /**
   * The counts of each budget's current period, settled reservations not yet folded in included.
   */
  private static final String CURRENT =
      """
      select b.id, extract(epoch from p.start) * 1000, extract(epoch from p.reset) * 1000,
        coalesce(u.used_tokens, 0) + q.used, coalesce(u.reserved_tokens, 0) - q.held,
        coalesce(u.requests, 0) - q.requests
      from budget b
      cross join lateral (select %1$s as start) s
      cross join lateral (select s.start as start, %2$s as reset) p
      left join budget_use u on u.budget_id = b.id and u.period_start = p.start
      cross join lateral (%3$s) q
      """
          .formatted(
              startOf("b.period"), resetOf("b.period", "s.start"), pendingOf("b.id", "p.start"));

  @PersistenceContext EntityManager em;
  @Inject Reservations reservations;

  /** The budgets' time zone (its periods begin at midnight there). */
  public String zone() {
    return reservations.zone();
  }

  /** The current period of each budget, by id; one query for all. */
  public Map<Long, Counts> current(List<Budget> budgets) {
    Map<Long, Counts> current = new HashMap<>();
    if (budgets.isEmpty()) {
      return current;
    }
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(CURRENT + " where b.id in (" + ids(budgets) + ")")
            .setParameter(1, reservations.zone())
            .getResultList();
    for (Object[] row : rows) {
      current.put(
          ((Number) row[0]).longValue(),
          new Counts(
              Instant.ofEpochMilli(((Number) row[1]).longValue()),
              Instant.ofEpochMilli(((Number) row[2]).longValue()),
              ((Number) row[3]).longValue(),
              ((Number) row[4]).longValue(),
              ((Number) row[5]).longValue()));
    }
    return current;
  }

  /** The ids as SQL (numbers only: nothing to inject). */
  private static String ids(List<Budget> budgets) {
    StringBuilder ids = new StringBuilder();
    for (Budget budget : budgets) {
      ids.append(ids.length() == 0 ? "" : ",").append(budget.id().longValue());
    }
    return ids.toString();
  }
}
