package com.llmchat.accounts.control;

import com.llmchat.accounts.boundary.AccountException;
import com.llmchat.accounts.boundary.AccountException.Reason;
import com.llmchat.accounts.entity.Account;
import com.llmchat.accounts.entity.Role;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** Creates accounts after the checks every way in shares: registration and administrators. */
@Stateless
public class Enrolment {

  @PersistenceContext EntityManager em;
  @Inject Passwords passwords;
  @Inject Callers callers;

  public Account create(
      String username,
      String password,
      String displayName,
      String email,
      Role role,
      boolean mustChange) {
    if (!Account.isValidUsername(username)) {
      throw new AccountException(
          Reason.INVALID,
          "username must be 2-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    passwords
        .violation(username, password)
        .ifPresent(
            reason -> {
              throw new AccountException(Reason.WEAK_PASSWORD, "password " + reason);
            });
    if (callers.find(username).isPresent()) {
      throw new AccountException(Reason.USERNAME_TAKEN, "username is taken");
    }
    Account account;
    try {
      account =
          new Account(username, displayName, email, role, passwords.hash(password), mustChange);
    } catch (IllegalArgumentException e) {
      throw new AccountException(Reason.INVALID, e.getMessage());
    }
    em.persist(account);
    return account;
  }
}
