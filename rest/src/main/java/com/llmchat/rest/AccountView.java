package com.llmchat.rest;

import com.llmchat.accounts.entity.Account;

/** An account as the API shows it: never its password hash. */
public record AccountView(
    long id,
    String username,
    String displayName,
    String email,
    String role,
    boolean enabled,
    String locale,
    boolean mustChangePassword,
    String createdAt,
    String lastLoginAt) {

  static AccountView of(Account account) {
    return new AccountView(
        account.id(),
        account.username(),
        account.displayName(),
        account.email(),
        account.role().name(),
        account.enabled(),
        account.locale(),
        account.mustChangePassword(),
        account.createdAt().toString(),
        account.lastLoginAt() == null ? null : account.lastLoginAt().toString());
  }
}
