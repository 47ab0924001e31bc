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
import com.llmchat.identity.control.LdapClient.Outcome.Authenticated;
import com.llmchat.identity.entity.Directory;
import com.llmchat.identity.entity.GroupMapping;
import com.llmchat.providers.control.CredentialCipher.UnreadableCredentialException;
import com.llmchat.providers.control.ProviderCredentials;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A login with a directory account: asks the enabled directories in their order; the first that
 * knows the name decides. The account is created at the first login and brought up to date at every
 * one — display name, address, groups given by the mappings, the administrator role — so that
 * leaving a directory group takes the rights away at the next login.
 */
@Stateless
public class DirectoryLogins {

  private static final Logger LOG = Logger.getLogger(DirectoryLogins.class.getName());

  /** How a directory login ended. */
  public sealed interface Result {

    /** The account (created or brought up to date) may log in. */
    record LoggedIn(Account account, String directory) implements Result {}

    /** Refused: unknown name, wrong password, disabled, a name taken by another account. */
    record Refused(String why, boolean known) implements Result {}

    /** No directory that could know the name answered. */
    record Unavailable(String why) implements Result {}
  }

  @PersistenceContext EntityManager em;
  @Inject ProviderCredentials credentials;
  @Inject Callers callers;
  @Inject Enrolment enrolment;
  @Inject AuditLog audit;
  @Inject Event<GroupsChanged> groupsChanged;
  @Inject Event<AccountChanged> accountChanged;

  @Inject
  @ConfigProperty(name = "llmchat.directory.timeout-ms", defaultValue = "5000")
  int timeoutMillis;

  public boolean anyEnabled() {
    return !em.createNamedQuery(Directory.ENABLED, Directory.class)
        .setMaxResults(1)
        .getResultList()
        .isEmpty();
  }

  public LdapClient client() {
    return new LdapClient(timeoutMillis);
  }

  /** The directory's bind password, opened (null when it has none or it cannot be opened). */
  public String bindPassword(Directory directory) {
    if (directory.bindPasswordSealed() == null) {
      return null;
    }
    try {
      return credentials.open(directory.bindPasswordSealed(), directory.sealingContext());
    } catch (UnreadableCredentialException e) {
      LOG.warning(
          () ->
              "The bind password of directory '"
                  + directory.name()
                  + "' cannot be opened ("
                  + e.getMessage()
                  + "); set it again");
      return null;
    }
  }

  public Result login(String loginName, String password, String clientIp) {
    List<String> unavailable = new ArrayList<>();
    for (Directory directory :
        em.createNamedQuery(Directory.ENABLED, Directory.class).getResultList()) {
      LdapClient.Outcome outcome =
          client().authenticate(directory.settings(), bindPassword(directory), loginName, password);
      if (outcome instanceof Authenticated authenticated) {
        return enter(directory, authenticated, clientIp);
      }
      if (outcome instanceof LdapClient.Outcome.WrongPassword) {
        return new Result.Refused("wrong password (directory " + directory.name() + ")", true);
      }
      if (outcome instanceof LdapClient.Outcome.Refused refused) {
        return new Result.Refused(refused.why() + " (directory " + directory.name() + ")", true);
      }
      if (outcome instanceof LdapClient.Outcome.Unavailable down) {
        LOG.warning(
            () -> "Directory '" + directory.name() + "' is unavailable for logins: " + down.why());
        unavailable.add(directory.name() + ": " + down.why());
      }
    }
    if (!unavailable.isEmpty()) {
      return new Result.Unavailable(String.join("; ", unavailable));
    }
    return new Result.Refused("unknown user", false);
  }

  private Result enter(Directory directory, Authenticated person, String clientIp) {
    String origin = directory.origin();
    if (!Account.isValidUsername(person.username())) {
      return new Result.Refused(
          "the directory's username '"
              + person.username()
              + "' is not a valid username here (2-64 letters, digits, '.', '_' or '-')",
          true);
    }
    Account account = callers.find(person.username()).orElse(null);
    if (account == null) {
      account =
          Account.external(
              person.username(), person.displayName(), person.email(), origin, person.dn());
      em.persist(account);
      em.flush();
      enrolment.joinDefaultGroup(account);
      audit.record(
          account.username(),
          "account-created",
          account.username(),
          Outcome.SUCCESS,
          clientIp,
          "at the first login, from directory " + directory.name());
    } else if (!origin.equals(account.origin())) {
      return new Result.Refused(
          "the username "
              + account.username()
              + " belongs to "
              + (account.isLocal() ? "a local account" : "an account from elsewhere")
              + "; a directory does not take it over",
          true);
    } else {
      account.syncFromOrigin(person.displayName(), person.email(), person.dn());
    }
    if (!account.enabled()) {
      return new Result.Refused("account disabled here", true);
    }
    MappedRights rights =
        MappedRights.of(
            em.createNamedQuery(GroupMapping.OF_DIRECTORY, GroupMapping.class)
                .setParameter("directory", directory.id())
                .getResultList(),
            person.groupKeys());
    boolean changed = applyGroups(account, origin, rights.groupIds());
    Role role = rights.administrator() ? Role.ADMIN : Role.USER;
    if (account.role() != role) {
      account.changeRole(role);
      changed = true;
      audit.record(
          directory.name(),
          "role-change",
          account.username(),
          Outcome.SUCCESS,
          clientIp,
          "from the directory's groups: now " + role.name().toLowerCase(Locale.ROOT));
    }
    if (changed) {
      groupsChanged.fire(new GroupsChanged());
      accountChanged.fire(new AccountChanged(account.id()));
    }
    return new Result.LoggedIn(account, directory.name());
  }

  /** Makes the directory-given memberships those the mappings give; true when any changed. */
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
