package com.llmchat.rest;

import com.llmchat.usage.boundary.Budgets;

/** A budget or rate limit with what its current period has used and left. */
public record BudgetView(
    long id,
    String holder,
    long holderId,
    String holderName,
    String period,
    Long tokenLimit,
    Long requestLimit,
    String periodStart,
    String resetsAt,
    long usedTokens,
    long reservedTokens,
    long requests,
    Long tokensLeft,
    Long requestsLeft,
    double utilisation) {

  static BudgetView of(Budgets.State state) {
    var budget = state.budget();
    return new BudgetView(
        budget.id(),
        budget.holder().name(),
        budget.holderId(),
        state.holderName(),
        budget.period().name(),
        budget.tokenLimit(),
        budget.requestLimit(),
        state.periodStart().toString(),
        state.resetsAt().toString(),
        state.usedTokens(),
        state.reservedTokens(),
        state.requests(),
        state.tokensLeft(),
        state.requestsLeft(),
        state.utilisation());
  }
}
