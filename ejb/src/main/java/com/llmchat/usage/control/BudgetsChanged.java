package com.llmchat.usage.control;

/**
 * A budget or rate limit was made, changed or removed: fired by the budgets' boundary, observed
 * after the transaction by what knows whom budgets apply to ({@link BudgetHolders}).
 */
public record BudgetsChanged() {}
