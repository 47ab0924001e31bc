package com.llmchat.identity.control;

import com.llmchat.accounts.control.AccountChanged;
import com.llmchat.accounts.control.Callers;
import com.llmchat.accounts.control.Enrolment;
import com.llmchat.accounts.control.GroupsChanged;
import com.llmchat.accounts.entity.Account;
import com.llmchat.accounts.entity.Membership;
import com.llmchat.accounts.entity.Role;
import com.llmchat.audit.boundary.AuditLog;
import com.llmchat.audit.entity.AuditEvent.Outcome;
import com.llmchat.identity.entity.GroupMapping;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An account from a directory or an identity provider at its login: created at the first one,
 * brought up to date at every one — display name, address, the groups the mappings give, the
 * administrator role — so that leaving a group there takes the rights away at the next login. A
 * name that is already another account's (a local one, or another origin's) is never taken over.
 */
@Stateless
public class ExternalAccounts {

  /** Who logged in where, as the origin tells it. */
  public record Person(
      String origin,
      String source,
      String username,
      String displayName,
      String email,
      String externalId,
      Set<String> groupKeys) {}

  /** The account that may log in, or why not. */
  public record Entered(Account account, String refusal) {}

  @PersistenceContext EntityManager em;
  @Inject Callers callers;
  @Inject Enrolment enrolment;
  @Inject AuditLog audit;
  @Inject Event<GroupsChanged> groupsChanged;
  @Inject Event<AccountChanged> accountChanged;

  public Entered enter(Person person, List<GroupMapping> mappings, String clientIp) {
    if (!Account.isValidUsername(person.username())) {
      return new Entered(
          null,
          "the "
              + person.source()
              + " gives the username '"
              + person.username()
              + "', which is not a valid username here (2-64 letters, digits, '.', '_' or '-')");
    }
    Account account = callers.find(person.username()).orElse(null);
    if (account == null) {
      account =
          Account.external(
              person.username(),
              person.displayName(),
              person.email(),
              person.origin(),
              person.externalId());
      em.persist(account);
      em.flush();
      enrolment.joinDefaultGroup(account);
      audit.record(
          account.username(),
          "account-created",
          account.username(),
          Outcome.SUCCESS,
          clientIp,
          "at the first login, from " + person.source());
    } else if (!person.origin().equals(account.origin())) {
      return new Entered(
          null,
          "the username "
              + account.username()
              + " belongs to "
              + (account.isLocal() ? "a local account" : "an account from elsewhere")
              + "; the "
              + person.source()
              + " does not take it over");
    } else {
      account.syncFromOrigin(person.displayName(), person.email(), person.externalId());
    }
    if (!account.enabled()) {
      return new Entered(null, "account disabled here");
    }
    MappedRights rights = MappedRights.of(mappings, person.groupKeys());
    boolean changed = applyGroups(account, person.origin(), rights.groupIds());
    Role role = rights.administrator() ? Role.ADMIN : Role.USER;
    if (account.role() != role) {
      account.changeRole(role);
      changed = true;
      audit.record(
          person.source(),
          "role-change",
          account.username(),
          Outcome.SUCCESS,
          clientIp,
          "from the groups there: now " + role.name().toLowerCase(Locale.ROOT));
    }
    if (changed) {
      groupsChanged.fire(new GroupsChanged());
      accountChanged.fire(new AccountChanged(account.id()));
    }
    return new Entered(account, null);
  }

  /** Makes the memberships of this origin those the mappings give; true when any changed. */
  private boolean applyGroups(Account account, String origin, Set<Long> wanted) {
    boolean changed = false;
    Set<Long> present = new HashSet<>();
    for (Membership membership :
        em.createNamedQuery(Membership.OF_ACCOUNT, Membership.class)
            .setParameter("account", account.id())
            .getResultList()) {
      present.add(membership.groupId());
      if (origin.equals(membership.origin()) && !wanted.contains(membership.groupId())) {
        em.remove(membership);
        changed = true;
      }
    }
    for (Long group : wanted) {
      if (!present.contains(group)) {
        em.persist(new Membership(group, account.id(), origin));
        changed = true;
      }
    }
    return changed;
  }
}
