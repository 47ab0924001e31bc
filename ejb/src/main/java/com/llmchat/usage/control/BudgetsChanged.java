package com.llmchat.usage.control;

import com.llmchat.platform.control.ClusterWide;

/**
 * A budget or rate limit was made or removed (a change of its limits leaves whom it applies to as
 * it was): fired by the budgets' boundary, observed after the transaction, on every server of a
 * cluster, by what knows whom budgets apply to ({@link BudgetHolders}).
 */
public record BudgetsChanged() implements ClusterWide {}
