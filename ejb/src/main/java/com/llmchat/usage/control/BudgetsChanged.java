package com.llmchat.usage.control;

/**
 * A budget or rate limit was made or removed (a change of its limits leaves whom it applies to as
 * it was): fired by the budgets' boundary, observed after the transaction by what knows whom
 * budgets apply to ({@link BudgetHolders}).
 */
public record BudgetsChanged() {}
