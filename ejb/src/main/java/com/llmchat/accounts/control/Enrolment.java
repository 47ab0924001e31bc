package com.llmchat.accounts.control;

import com.llmchat.accounts.boundary.AccountException;
import com.llmchat.accounts.boundary.AccountException.Reason;
import com.llmchat.accounts.entity.Account;
import com.llmchat.accounts.entity.Group;
import com.llmchat.accounts.entity.Membership;
import com.llmchat.accounts.entity.Role;
import com.llmchat.settings.boundary.Settings;
import com.llmchat.settings.entity.Setting;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** Creates accounts after the checks every way in shares: registration and administrators. */
@Stateless
public class Enrolment {

  @PersistenceContext EntityManager em;
  @Inject Passwords passwords;
  @Inject Callers callers;
  @Inject Settings settings;
  @Inject Event<GroupsChanged> groupsChanged;

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
    joinDefaultGroup(account);
    return account;
  }

  /** Puts a new account in the group the setting names, if it still exists. */
  public void joinDefaultGroup(Account account) {
    settings
        .find(DefaultGroupSetting.NAME)
        .map(Setting::value)
        .filter(name -> !name.isBlank())
        .flatMap(
            name ->
                em.createNamedQuery(Group.BY_NAME, Group.class)
                    .setParameter("key", Group.key(name))
                    .getResultStream()
                    .findFirst())
        .ifPresent(
            group -> {
              // the account's row first: the membership refers to it
              em.flush();
              em.persist(new Membership(group.id(), account.id()));
              groupsChanged.fire(new GroupsChanged());
            });
  }
}
