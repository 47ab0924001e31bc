package com.llmchat.accounts.entity;

import java.util.List;

/** What an account may do; the access token carries it as MicroProfile JWT groups. */
public enum Role {
  USER,
  ADMIN;

  public static final String USER_GROUP = "user";
  public static final String ADMIN_GROUP = "admin";

  public List<String> groups() {
    return this == ADMIN ? List.of(USER_GROUP, ADMIN_GROUP) : List.of(USER_GROUP);
  }
}
