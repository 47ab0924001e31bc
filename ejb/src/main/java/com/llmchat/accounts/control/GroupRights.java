package com.llmchat.accounts.control;

import com.llmchat.accounts.entity.Account;
import com.llmchat.accounts.entity.Group;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** What an account's groups allow it beyond the models granted to them. */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class GroupRights {

  @PersistenceContext EntityManager em;

  /**
   * Whether the account may add and use model servers of its own: administrators always, others
   * when one of their groups allows it.
   */
  public boolean ownProviders(long accountId) {
    Account account = em.find(Account.class, accountId);
    if (account == null) {
      return false;
    }
    return account.isAdmin()
        || em.createNamedQuery(Group.ALLOWS_OWN_PROVIDERS, Long.class)
                .setParameter("account", accountId)
                .getSingleResult()
            > 0;
  }
}
