package com.llmchat.accounts.control;

import com.llmchat.accounts.entity.Account;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;

/**
 * The account behind the current call, read from the database on every call: a role or an enabled
 * flag is never trusted from an older token or session.
 */
@Stateless
public class Callers {

  @Inject Caller caller;
  @PersistenceContext EntityManager em;

  /** In the caller's transaction if there is one; a read needs none. */
  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public Optional<Account> find(String username) {
    return em.createNamedQuery(Account.BY_USERNAME, Account.class)
        .setParameter("key", Account.key(username))
        .getResultStream()
        .findFirst();
  }

  /** Who calls: the enabled account's id and name, as far as a use needs no more of it. */
  public record Identity(long accountId, String username, long receivedNanos) {}

  /**
   * The caller's identity; when the edge has read and checked the account in this request already
   * (as it does for every authenticated request), without reading it again.
   */
  public Identity identity() {
    Optional<Long> checked = caller.accountId();
    if (checked.isPresent() && caller.username().isPresent()) {
      return new Identity(checked.get(), caller.username().get(), caller.identifiedNanos());
    }
    long now = System.nanoTime();
    Account account = current();
    return new Identity(account.id(), account.username(), now);
  }

  /** The enabled account of the caller. */
  public Account current() {
    return caller
        .username()
        .flatMap(this::find)
        .filter(Account::enabled)
        .orElseThrow(() -> new AccessRefusedException(false, "no enabled account for the caller"));
  }

  /** The caller, who must be an administrator now. */
  public Account requireAdmin() {
    Account account = current();
    if (!account.isAdmin()) {
      throw new AccessRefusedException(true, "administrator role required");
    }
    return account;
  }
}
