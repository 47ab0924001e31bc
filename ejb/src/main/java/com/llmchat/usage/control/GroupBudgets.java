package com.llmchat.usage.control;

import com.llmchat.accounts.entity.Group;
import com.llmchat.usage.entity.Budget;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Map;

/** The groups' budgets (per day and month) measured for their gauges. */
@Stateless
public class GroupBudgets {

  @PersistenceContext EntityManager em;
  @Inject BudgetPeriods periods;
  @Inject BudgetMeters meters;

  /** Each group budget's share used now: held and used tokens, or requests, of its limit. */
  public void measure() {
    List<Budget> budgets =
        em.createNamedQuery(Budget.ALL, Budget.class)
            .getResultStream()
            .filter(b -> b.holder() == Budget.Holder.GROUP && !b.period().isRateLimit())
            .toList();
    Map<Long, BudgetPeriods.Counts> current = periods.current(budgets);
    for (Budget budget : budgets) {
      Group group = em.find(Group.class, budget.holderId());
      BudgetPeriods.Counts counts = current.get(budget.id());
      if (group != null && counts != null) {
        meters.groupUtilisation(
            budget.id(), group.name(), budget.period().name(), share(budget, counts));
      }
    }
  }

  /** The larger share used of a budget's limits, 0 to 1. */
  public static double share(Budget budget, BudgetPeriods.Counts counts) {
    return Math.max(
        share(counts.usedTokens() + counts.reservedTokens(), budget.tokenLimit()),
        share(counts.requests(), budget.requestLimit()));
  }

  private static double share(long used, Long limit) {
    if (limit == null) {
      return 0;
    }
    return limit == 0 ? 1 : Math.min(1, (double) used / limit);
  }
}
