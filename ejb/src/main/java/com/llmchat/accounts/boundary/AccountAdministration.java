package com.llmchat.accounts.boundary;

import com.llmchat.accounts.boundary.AccountException.Reason;
import com.llmchat.accounts.control.AccountChanged;
import com.llmchat.accounts.control.AccountDeleting;
import com.llmchat.accounts.control.Callers;
import com.llmchat.accounts.control.Enrolment;
import com.llmchat.accounts.control.PasswordHash;
import com.llmchat.accounts.control.Passwords;
import com.llmchat.accounts.control.RefreshTokens;
import com.llmchat.accounts.entity.Account;
import com.llmchat.accounts.entity.Role;
import com.llmchat.audit.boundary.AuditLog;
import com.llmchat.audit.entity.AuditEvent.Outcome;
import com.llmchat.platform.control.Containing;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;

/**
 * What administrators do with accounts. Every method re-reads the caller from the database, so a
 * demoted or disabled administrator is refused at once, whatever their token says.
 */
@Stateless
public class AccountAdministration {

  public record Page(List<Account> items, int page, int size, long total) {}

  /**
   * A created or reset account, with the one-time password to hand over (null if the admin chose
   * one).
   */
  public record Credentials(Account account, String oneTimePassword) {}

  @PersistenceContext EntityManager em;
  @Inject Callers callers;
  @Inject Enrolment enrolment;
  @Inject Passwords passwords;
  @Inject RefreshTokens refreshTokens;
  @Inject AuditLog audit;
  @Inject Event<AccountChanged> changed;
  @Inject Event<AccountDeleting> deleting;

  public Page search(String text, int page, int size) {
    callers.requireAdmin();
    int safeSize = Math.max(1, Math.min(size, 200));
    int safePage = Math.max(0, page);
    String pattern = Containing.pattern(text);
    List<Account> items =
        em.createNamedQuery(Account.SEARCH, Account.class)
            .setParameter("pattern", pattern)
            .setFirstResult(safePage * safeSize)
            .setMaxResults(safeSize)
            .getResultList();
    long total =
        em.createNamedQuery(Account.COUNT_SEARCH, Long.class)
            .setParameter("pattern", pattern)
            .getSingleResult();
    return new Page(items, safePage, safeSize, total);
  }

  public Account find(long id) {
    callers.requireAdmin();
    return account(id);
  }

  public Credentials create(
      String username,
      String displayName,
      String email,
      Role role,
      String password,
      String clientIp) {
    Account admin = callers.requireAdmin();
    boolean generated = password == null || password.isEmpty();
    String secret = generated ? PasswordHash.randomPassword() : password;
    Account created =
        enrolment.create(
            username, secret, displayName, email, role == null ? Role.USER : role, generated);
    audit.record(
        admin.username(),
        "account-create",
        created.username(),
        Outcome.SUCCESS,
        clientIp,
        "role " + created.role());
    return new Credentials(created, generated ? secret : null);
  }

  public Account disable(long id, String clientIp) {
    Account admin = callers.requireAdmin();
    Account target = account(id);
    refuseOwn(admin, target, "disable");
    refuseLastAdmin(target);
    target.disable();
    refreshTokens.revokeAll(target);
    changed.fire(new AccountChanged(target.id()));
    audit.record(
        admin.username(), "account-disable", target.username(), Outcome.SUCCESS, clientIp, null);
    return target;
  }

  public Account enable(long id, String clientIp) {
    Account admin = callers.requireAdmin();
    Account target = account(id);
    target.enable();
    changed.fire(new AccountChanged(target.id()));
    audit.record(
        admin.username(), "account-enable", target.username(), Outcome.SUCCESS, clientIp, null);
    return target;
  }

  /** A new one-time password; the user must change it at next login and every session ends. */
  public Credentials resetPassword(long id, String clientIp) {
    Account admin = callers.requireAdmin();
    Account target = account(id);
    if (!target.isLocal()) {
      throw new AccountException(
          Reason.MANAGED_ELSEWHERE,
          "this account's password is the company directory's; it is reset there");
    }
    String secret = PasswordHash.randomPassword();
    target.changePassword(passwords.hash(secret), true);
    refreshTokens.revokeAll(target);
    audit.record(
        admin.username(),
        "account-reset-password",
        target.username(),
        Outcome.SUCCESS,
        clientIp,
        null);
    return new Credentials(target, secret);
  }

  public Account changeRole(long id, Role role, String clientIp) {
    Account admin = callers.requireAdmin();
    Account target = account(id);
    if (role == null) {
      throw new AccountException(Reason.INVALID, "role must be USER or ADMIN");
    }
    if (!target.isLocal()) {
      throw new AccountException(
          Reason.MANAGED_ELSEWHERE,
          "a directory account's role follows the directory's group mapping (set at each login)");
    }
    if (role == Role.USER) {
      refuseLastAdmin(target);
    }
    Role before = target.role();
    target.changeRole(role);
    audit.record(
        admin.username(),
        "account-role",
        target.username(),
        Outcome.SUCCESS,
        clientIp,
        before + " -> " + role);
    return target;
  }

  /**
   * Deletes the account with its refresh tokens, API keys, conversations and own providers; the
   * audit log keeps its name.
   */
  public void delete(long id, String clientIp) {
    Account admin = callers.requireAdmin();
    Account target = account(id);
    refuseOwn(admin, target, "delete");
    refuseLastAdmin(target);
    refreshTokens.deleteAll(target);
    deleting.fire(new AccountDeleting(target.id()));
    em.remove(target);
    changed.fire(new AccountChanged(target.id()));
    audit.record(
        admin.username(), "account-delete", target.username(), Outcome.SUCCESS, clientIp, null);
  }

  private Account account(long id) {
    Account account = em.find(Account.class, id);
    if (account == null) {
      throw new AccountException(Reason.NOT_FOUND, "no account with id " + id);
    }
    return account;
  }

  private static void refuseOwn(Account admin, Account target, String action) {
    if (admin.id().equals(target.id())) {
      throw new AccountException(
          Reason.OWN_ACCOUNT, "administrators cannot " + action + " their own account");
    }
  }

  private void refuseLastAdmin(Account target) {
    if (!target.isAdmin() || !target.enabled()) {
      return;
    }
    long enabledAdmins =
        em.createNamedQuery(Account.COUNT_ENABLED_ADMINS, Long.class)
            .setParameter("role", Role.ADMIN)
            .getSingleResult();
    if (enabledAdmins <= 1) {
      throw new AccountException(Reason.LAST_ADMIN, "the last enabled administrator must stay");
    }
  }
}
