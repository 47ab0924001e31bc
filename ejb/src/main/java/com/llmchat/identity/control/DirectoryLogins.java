package com.llmchat.identity.control;

import com.llmchat.accounts.entity.Account;
import com.llmchat.identity.control.LdapClient.Outcome.Authenticated;
import com.llmchat.identity.entity.Directory;
import com.llmchat.identity.entity.GroupMapping;
import com.llmchat.providers.control.CredentialCipher.UnreadableCredentialException;
import com.llmchat.providers.control.ProviderCredentials;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.List;
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
  @Inject ExternalAccounts accounts;

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
    ExternalAccounts.Entered entered =
        accounts.enter(
            new ExternalAccounts.Person(
                directory.origin(),
                "directory " + directory.name(),
                person.username(),
                person.displayName(),
                person.email(),
                person.dn(),
                person.groupKeys()),
            em.createNamedQuery(GroupMapping.OF_DIRECTORY, GroupMapping.class)
                .setParameter("directory", directory.id())
                .getResultList(),
            clientIp);
    return entered.account() == null
        ? new Result.Refused(entered.refusal(), true)
        : new Result.LoggedIn(entered.account(), directory.name());
  }
}
