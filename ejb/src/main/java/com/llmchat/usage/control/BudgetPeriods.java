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

  /** The counts of each budget's current period, in the budgets' time zone. */
  private static final String CURRENT =
      """
      select b.id, extract(epoch from p.start) * 1000, extract(epoch from p.reset) * 1000,
        coalesce(u.used_tokens, 0), coalesce(u.reserved_tokens, 0), coalesce(u.requests, 0)
      from budget b
      cross join lateral (select
        case b.period
          when 'MINUTE' then date_trunc('minute', now())
          when 'DAY' then date_trunc('day', now() at time zone cast(?1 as text))
              at time zone cast(?1 as text)
          else date_trunc('month', now() at time zone cast(?1 as text))
              at time zone cast(?1 as text)
        end as start) s
      cross join lateral (select s.start as start,
        case b.period
          when 'MINUTE' then s.start + interval '1 minute'
          when 'DAY' then ((s.start at time zone cast(?1 as text)) + interval '1 day')
              at time zone cast(?1 as text)
          else ((s.start at time zone cast(?1 as text)) + interval '1 month')
              at time zone cast(?1 as text)
        end as reset) p
      left join budget_use u on u.budget_id = b.id and u.period_start = p.start
      """;

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
