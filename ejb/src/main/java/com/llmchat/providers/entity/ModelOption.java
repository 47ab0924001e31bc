package com.llmchat.providers.entity;

/** A model a user may choose: our id, the name shown, and whether it is the built-in simulator. */
public record ModelOption(String id, String displayName, boolean simulated) {}
