package com.llmchat.identity.boundary;

import com.llmchat.accounts.boundary.AccountException;
import com.llmchat.accounts.boundary.AccountException.Reason;
import com.llmchat.accounts.control.Callers;
import com.llmchat.accounts.entity.Account;
import com.llmchat.accounts.entity.Group;
import com.llmchat.audit.boundary.AuditLog;
import com.llmchat.audit.entity.AuditEvent.Outcome;
import com.llmchat.identity.control.DirectoryLogins;
import com.llmchat.identity.control.GroupMappings;
import com.llmchat.identity.control.LdapClient;
import com.llmchat.identity.control.MappedRights;
import com.llmchat.identity.entity.Directory;
import com.llmchat.identity.entity.DirectorySettings;
import com.llmchat.identity.entity.GroupMapping;
import com.llmchat.providers.control.ProviderCredentials;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Objects;

/**
 * The administrators' company directories: add, change, remove, test the connection, try a login
 * without logging in, and map the directory's groups to ours and to the administrator role. Every
 * change is audited; the bind password is write-only.
 */
@Stateless
public class Directories {

  /** What a trial login found, and what it would give; nothing is created or changed. */
  public record TrialLogin(
      String result,
      String detail,
      String dn,
      String username,
      String displayName,
      String email,
      List<LdapClient.DirectoryGroup> groups,
      List<String> mappedGroups,
      boolean administrator) {}

  @PersistenceContext EntityManager em;
  @Inject Callers callers;
  @Inject AuditLog audit;
  @Inject GroupMappings mappings;
  @Inject ProviderCredentials credentials;
  @Inject DirectoryLogins logins;

  public List<Directory> list() {
    callers.requireAdmin();
    return em.createNamedQuery(Directory.ALL, Directory.class).getResultList();
  }

  public Directory find(long id) {
    callers.requireAdmin();
    return directory(id);
  }

  /** A new directory; bindPassword may be null (anonymous search, or set later). */
  public Directory create(DirectorySettings settings, String bindPassword, String clientIp) {
    Account admin = callers.requireAdmin();
    Directory directory;
    try {
      directory = new Directory(settings, false);
    } catch (IllegalArgumentException e) {
      throw new AccountException(Reason.INVALID, e.getMessage());
    }
    refuseTakenName(directory.name(), null);
    em.persist(directory);
    storePassword(directory, bindPassword);
    audit.record(
        admin.username(),
        "directory-create",
        directory.name(),
        Outcome.SUCCESS,
        clientIp,
        directory.settings().url());
    return directory;
  }

  /**
   * New settings; a null bindPassword keeps the stored one — unless the URL or bind DN changed,
   * which needs the password again (it is never sent to a server it was not given for).
   */
  public Directory update(
      long id, DirectorySettings settings, String bindPassword, String clientIp) {
    Account admin = callers.requireAdmin();
    Directory directory = directory(id);
    refusePreset(directory);
    try {
      directory.configure(settings);
    } catch (IllegalArgumentException e) {
      throw new AccountException(Reason.INVALID, e.getMessage());
    }
    refuseTakenName(directory.name(), directory.id());
    if (bindPassword != null) {
      storePassword(directory, bindPassword);
    }
    audit.record(
        admin.username(),
        "directory-change",
        directory.name(),
        Outcome.SUCCESS,
        clientIp,
        directory.settings().url());
    return directory;
  }

  public void delete(long id, String clientIp) {
    Account admin = callers.requireAdmin();
    Directory directory = directory(id);
    refusePreset(directory);
    em.remove(directory);
    audit.record(
        admin.username(), "directory-delete", directory.name(), Outcome.SUCCESS, clientIp, null);
  }

  /** Connects, binds and reads the user base. */
  public LdapClient.Probe probe(long id, String clientIp) {
    Account admin = callers.requireAdmin();
    Directory directory = directory(id);
    LdapClient.Probe probe =
        logins.client().probe(directory.settings(), logins.bindPassword(directory));
    audit.record(
        admin.username(),
        "directory-test",
        directory.name(),
        probe.ok() ? Outcome.SUCCESS : Outcome.FAILURE,
        clientIp,
        probe.detail());
    return probe;
  }

  /** A login as it would go, without an account being made or changed. */
  public TrialLogin tryLogin(long id, String loginName, String password, String clientIp) {
    Account admin = callers.requireAdmin();
    Directory directory = directory(id);
    LdapClient.Outcome outcome =
        logins
            .client()
            .authenticate(
                directory.settings(), logins.bindPassword(directory), loginName, password);
    TrialLogin trial = trial(directory, outcome);
    audit.record(
        admin.username(),
        "directory-test-login",
        directory.name(),
        "authenticated".equals(trial.result()) ? Outcome.SUCCESS : Outcome.FAILURE,
        clientIp,
        loginName + ": " + trial.result());
    return trial;
  }

  private TrialLogin trial(Directory directory, LdapClient.Outcome outcome) {
    if (outcome instanceof LdapClient.Outcome.Authenticated in) {
      MappedRights rights = MappedRights.of(mappings(directory.id()), in.groupKeys());
      List<String> groups =
          rights.groupIds().stream()
              .map(groupId -> em.find(Group.class, groupId))
              .filter(Objects::nonNull)
              .map(Group::name)
              .sorted()
              .toList();
      return new TrialLogin(
          "authenticated",
          Account.isValidUsername(in.username())
              ? "the password is right"
              : "the password is right, but the username '"
                  + in.username()
                  + "' is not valid here: the login would be refused",
          in.dn(),
          in.username(),
          in.displayName(),
          in.email(),
          in.groups(),
          groups,
          rights.administrator());
    }
    if (outcome instanceof LdapClient.Outcome.WrongPassword wrong) {
      return trial("wrong-password", "the entry exists; the password is not its", wrong.dn());
    }
    if (outcome instanceof LdapClient.Outcome.Refused refused) {
      return trial("refused", refused.why(), refused.dn());
    }
    if (outcome instanceof LdapClient.Outcome.Unavailable down) {
      return trial("unavailable", down.why(), null);
    }
    return trial("not-found", "no entry has that login name", null);
  }

  private static TrialLogin trial(String result, String detail, String dn) {
    return new TrialLogin(result, detail, dn, null, null, null, List.of(), List.of(), false);
  }

  public List<GroupMapping> mappings(long directoryId) {
    callers.requireAdmin();
    return em.createNamedQuery(GroupMapping.OF_DIRECTORY, GroupMapping.class)
        .setParameter("directory", directoryId)
        .getResultList();
  }

  /** Maps a directory group (DN or name) to one of our groups and/or the administrator role. */
  public GroupMapping map(
      long sourceId, String externalGroup, Long groupId, boolean administrator, String clientIp) {
    Account admin = callers.requireAdmin();
    var directory = directory(sourceId);
    return mappings.add(
        admin.username(),
        "directory-mapping-add",
        directory.name(),
        groupId,
        administrator,
        () -> new GroupMapping(directory.id(), externalGroup, groupId, administrator),
        clientIp);
  }

  /** Removes a mapping; members lose what it gave at their next login. */
  public void unmap(long sourceId, long mappingId, String clientIp) {
    Account admin = callers.requireAdmin();
    var directory = directory(sourceId);
    mappings.remove(
        admin.username(),
        "directory-mapping-remove",
        directory.name(),
        mappingId,
        mapping -> directory.id().equals(mapping.directoryId()),
        clientIp);
  }

  private void storePassword(Directory directory, String bindPassword) {
    directory.storeBindPassword(
        bindPassword == null || bindPassword.isEmpty()
            ? null
            : credentials.seal(bindPassword, directory.sealingContext()),
        null);
  }

  private Directory directory(long id) {
    Directory directory = em.find(Directory.class, id);
    if (directory == null) {
      throw new AccountException(Reason.DIRECTORY_NOT_FOUND, "directory " + id + " not found");
    }
    return directory;
  }

  private void refuseTakenName(String name, Long self) {
    em.createNamedQuery(Directory.BY_NAME, Directory.class)
        .setParameter("key", DirectorySettings.key(name))
        .getResultStream()
        .filter(other -> !other.id().equals(self))
        .findFirst()
        .ifPresent(
            other -> {
              throw new AccountException(
                  Reason.DIRECTORY_NAME_TAKEN, "a directory named " + name + " exists");
            });
  }

  private static void refusePreset(Directory directory) {
    if (directory.preset()) {
      throw new AccountException(
          Reason.MANAGED_ELSEWHERE,
          "this directory is the operator's (LLMCHAT_LDAP_*): change it there; its group mapping"
              + " can be edited here");
    }
  }
}
