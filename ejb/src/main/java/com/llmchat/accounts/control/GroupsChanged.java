package com.llmchat.accounts.control;

/**
 * Who is in which group, or what a group allows, changed: fired by the groups' boundary, observed
 * after the transaction by what keeps copies of what an account may use (the routes).
 */
public record GroupsChanged() {}
