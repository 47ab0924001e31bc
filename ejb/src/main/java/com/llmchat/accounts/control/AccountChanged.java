package com.llmchat.accounts.control;

import com.llmchat.platform.control.ClusterWide;

/**
 * An account was disabled, enabled or deleted: fired by the administration, observed after the
 * transaction by what keeps copies of what the account may do (the API key grants).
 */
public record AccountChanged(long accountId) implements ClusterWide {}
