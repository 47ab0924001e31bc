package com.llmchat.rest;

import com.llmchat.accounts.entity.Account;

/**
 * An account as the API shows it: never its password hash. {@code origin} is null for a local
 * account, else where it comes from ({@code ldap:<directory id>}); its password is kept there.
 */
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
    String lastLoginAt,
    String origin) {

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
        account.lastLoginAt() == null ? null : account.lastLoginAt().toString(),
        account.origin());
  }
}
