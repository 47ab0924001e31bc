package com.llmchat.accounts.boundary;

import com.llmchat.accounts.boundary.AccountException.Reason;
import com.llmchat.accounts.control.Callers;
import com.llmchat.accounts.control.DefaultGroupSetting;
import com.llmchat.accounts.control.GroupsChanged;
import com.llmchat.accounts.entity.Account;
import com.llmchat.accounts.entity.Group;
import com.llmchat.accounts.entity.Membership;
import com.llmchat.audit.boundary.AuditLog;
import com.llmchat.audit.entity.AuditEvent.Outcome;
import com.llmchat.settings.boundary.Settings;
import com.llmchat.settings.entity.Setting;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Groups of accounts, such as departments: administrators create them, put accounts in them (an
 * account may be in several) and say whether their members may add model servers of their own; new
 * accounts join the group the setting {@code default-group} names. Every change is audited and
 * takes effect on the next request.
 */
@Stateless
public class Groups {

  /** A group with how many accounts are in it, and whether new accounts join it. */
  public record Summary(Group group, long members, boolean joinedByNewAccounts) {}

  @PersistenceContext EntityManager em;
  @Inject Callers callers;
  @Inject Settings settings;
  @Inject AuditLog audit;
  @Inject Event<GroupsChanged> changed;

  public List<Summary> list() {
    callers.requireAdmin();
    String joined = defaultGroupKey();
    Map<Long, Long> members = new HashMap<>();
    for (Object[] count : em.createNamedQuery(Membership.COUNTS, Object[].class).getResultList()) {
      members.put(((Number) count[0]).longValue(), ((Number) count[1]).longValue());
    }
    List<Summary> summaries = new ArrayList<>();
    for (Group group : em.createNamedQuery(Group.ALL, Group.class).getResultList()) {
      summaries.add(
          new Summary(
              group, members.getOrDefault(group.id(), 0L), Group.key(group.name()).equals(joined)));
    }
    return summaries;
  }

  /** The name of the group new accounts join, if an administrator chose one. */
  public Optional<String> defaultGroup() {
    return settings
        .find(DefaultGroupSetting.NAME)
        .map(Setting::value)
        .filter(name -> !name.isBlank());
  }

  /** An administrator chooses the group new accounts join (empty: none); audited as a setting. */
  public void chooseDefault(String name) {
    settings.change(DefaultGroupSetting.NAME, name == null ? "" : name);
  }

  public Summary find(long id) {
    callers.requireAdmin();
    return summary(group(id), defaultGroupKey());
  }

  public Summary create(String name, String description, boolean ownProviders, String clientIp) {
    Account admin = callers.requireAdmin();
    Group group;
    try {
      group = new Group(name, description, ownProviders);
    } catch (IllegalArgumentException e) {
      throw new AccountException(Reason.INVALID, e.getMessage());
    }
    refuseTakenName(group.name(), null);
    em.persist(group);
    audit.record(
        admin.username(),
        "group-create",
        group.name(),
        Outcome.SUCCESS,
        clientIp,
        ownProviders ? "own providers allowed" : null);
    return new Summary(group, 0, false);
  }

  /** Renames, describes and sets what a group allows; null leaves a value as it is. */
  public Summary change(
      long id, String name, String description, Boolean ownProviders, String clientIp) {
    Account admin = callers.requireAdmin();
    Group group = group(id);
    String before = group.name();
    try {
      if (name != null) {
        refuseTakenName(name, group.id());
        group.rename(name);
      }
      if (description != null) {
        group.describe(description);
      }
    } catch (IllegalArgumentException e) {
      throw new AccountException(Reason.INVALID, e.getMessage());
    }
    if (ownProviders != null) {
      group.allowOwnProviders(ownProviders);
    }
    if (!Group.key(before).equals(Group.key(group.name()))
        && Group.key(before).equals(defaultGroupKey())) {
      // the setting names the group: it follows the new name
      settings.put(DefaultGroupSetting.NAME, group.name());
    }
    changed.fire(new GroupsChanged());
    audit.record(
        admin.username(),
        "group-change",
        before,
        Outcome.SUCCESS,
        clientIp,
        "name "
            + group.name()
            + ", own providers "
            + (group.ownProviders() ? "allowed" : "not allowed"));
    return summary(group, defaultGroupKey());
  }

  /** Deletes a group; its members stay, the models granted to it only lose that grant. */
  public void delete(long id, String clientIp) {
    Account admin = callers.requireAdmin();
    Group group = group(id);
    if (Group.key(group.name()).equals(defaultGroupKey())) {
      throw new AccountException(
          Reason.DEFAULT_GROUP,
          "new accounts join "
              + group.name()
              + ": choose another default group (setting default-group) first");
    }
    em.remove(group);
    changed.fire(new GroupsChanged());
    audit.record(admin.username(), "group-delete", group.name(), Outcome.SUCCESS, clientIp, null);
  }

  public List<Account> members(long id) {
    callers.requireAdmin();
    return em.createNamedQuery(Membership.MEMBERS, Account.class)
        .setParameter("group", group(id).id())
        .getResultList();
  }

  public void addMember(long id, long accountId, String clientIp) {
    add(group(id), account(accountId), clientIp);
  }

  /** The same by username, as the groups page names accounts. */
  public void addMember(long id, String username, String clientIp) {
    Group group = group(id);
    Account account =
        callers
            .find(username == null ? "" : username.strip())
            .orElseThrow(
                () -> new AccountException(Reason.NOT_FOUND, "no account named " + username));
    add(group, account, clientIp);
  }

  private void add(Group group, Account account, String clientIp) {
    Account admin = callers.requireAdmin();
    if (em.find(Membership.class, new Membership.Key(group.id(), account.id())) != null) {
      return;
    }
    em.persist(new Membership(group.id(), account.id()));
    changed.fire(new GroupsChanged());
    audit.record(
        admin.username(),
        "group-member-add",
        account.username(),
        Outcome.SUCCESS,
        clientIp,
        group.name());
  }

  public void removeMember(long id, long accountId, String clientIp) {
    Account admin = callers.requireAdmin();
    Group group = group(id);
    Account account = account(accountId);
    Membership membership = em.find(Membership.class, new Membership.Key(group.id(), account.id()));
    if (membership == null) {
      return;
    }
    em.remove(membership);
    changed.fire(new GroupsChanged());
    audit.record(
        admin.username(),
        "group-member-remove",
        account.username(),
        Outcome.SUCCESS,
        clientIp,
        group.name());
  }

  /** An account's groups, for administrators. */
  public List<Group> of(long accountId) {
    callers.requireAdmin();
    return groupsOf(account(accountId).id());
  }

  /** The caller's own groups. */
  public List<Group> mine() {
    return groupsOf(callers.identity().accountId());
  }

  /** Puts an account in exactly these groups. */
  public List<Group> place(long accountId, Set<Long> groupIds, String clientIp) {
    Account admin = callers.requireAdmin();
    Account account = account(accountId);
    Set<Long> wanted = new LinkedHashSet<>();
    for (Long groupId : groupIds) {
      wanted.add(group(groupId).id());
    }
    List<Group> before = groupsOf(account.id());
    for (Group group : before) {
      if (!wanted.remove(group.id())) {
        em.remove(em.find(Membership.class, new Membership.Key(group.id(), account.id())));
      }
    }
    for (Long groupId : wanted) {
      em.persist(new Membership(groupId, account.id()));
    }
    em.flush();
    List<Group> after = groupsOf(account.id());
    changed.fire(new GroupsChanged());
    audit.record(
        admin.username(),
        "account-groups",
        account.username(),
        Outcome.SUCCESS,
        clientIp,
        names(before) + " -> " + names(after));
    return after;
  }

  private List<Group> groupsOf(long accountId) {
    return em.createNamedQuery(Group.OF_ACCOUNT, Group.class)
        .setParameter("account", accountId)
        .getResultList();
  }

  private static String names(List<Group> groups) {
    return groups.stream().map(Group::name).toList().toString();
  }

  private Summary summary(Group group, String defaultGroupKey) {
    long members =
        em.createNamedQuery(Membership.COUNT, Long.class)
            .setParameter("group", group.id())
            .getSingleResult();
    return new Summary(group, members, Group.key(group.name()).equals(defaultGroupKey));
  }

  private String defaultGroupKey() {
    return settings.find(DefaultGroupSetting.NAME).map(Setting::value).map(Group::key).orElse("");
  }

  private void refuseTakenName(String name, Long except) {
    Optional<Group> other =
        em.createNamedQuery(Group.BY_NAME, Group.class)
            .setParameter("key", Group.key(name))
            .getResultStream()
            .findFirst();
    if (other.isPresent() && !other.get().id().equals(except)) {
      throw new AccountException(Reason.GROUP_NAME_TAKEN, "a group is called " + name);
    }
  }

  private Group group(long id) {
    Group group = em.find(Group.class, id);
    if (group == null) {
      throw new AccountException(Reason.GROUP_NOT_FOUND, "no group with id " + id);
    }
    return group;
  }

  private Account account(long id) {
    Account account = em.find(Account.class, id);
    if (account == null) {
      throw new AccountException(Reason.NOT_FOUND, "no account with id " + id);
    }
    return account;
  }
}
