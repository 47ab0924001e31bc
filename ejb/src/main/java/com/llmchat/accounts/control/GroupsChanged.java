package com.llmchat.accounts.control;

import com.llmchat.platform.control.ClusterWide;

/**
 * Who is in which group, or what a group allows, changed: fired by the groups' boundary, observed
 * after the transaction by what keeps copies of what an account may use (the routes).
 */
public record GroupsChanged() implements ClusterWide {}
