package com.llmchat.rest;

/** The groups an access token may carry. */
public final class Roles {
  public static final String USER = "user";
  public static final String ADMIN = "admin";

  private Roles() {}
}
