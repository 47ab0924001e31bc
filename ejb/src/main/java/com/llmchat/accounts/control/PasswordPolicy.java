package com.llmchat.accounts.control;

import java.util.Locale;
import java.util.Optional;

/** What a new password must satisfy. Returns the reason it does not, or empty. */
public record PasswordPolicy(int minLength) {

  public static final int MAX_LENGTH = 256;

  public PasswordPolicy {
    if (minLength < 8) {
      throw new IllegalArgumentException("a password policy below 8 characters is not allowed");
    }
  }

  public Optional<String> violation(String username, String password) {
    if (password == null || password.length() < minLength) {
      return Optional.of("must be at least " + minLength + " characters long");
    }
    if (password.length() > MAX_LENGTH) {
      return Optional.of("must be at most " + MAX_LENGTH + " characters long");
    }
    if (password.isBlank()) {
      return Optional.of("must not be blank");
    }
    if (username != null) {
      String name = username.toLowerCase(Locale.ROOT);
      String lower = password.toLowerCase(Locale.ROOT);
      // short names ('li', 'wu') would forbid too much; for them only the exact name is refused
      if (lower.equals(name) || (name.length() >= 4 && lower.contains(name))) {
        return Optional.of("must not contain the username");
      }
    }
    return Optional.empty();
  }
}
