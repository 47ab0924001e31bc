package com.llmchat.accounts.control;

import com.llmchat.accounts.entity.Account;
import com.llmchat.accounts.entity.Role;
import com.llmchat.platform.control.StartupTurn;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The first administrator, created at first start when no administrator exists: with the operator's
 * LLMCHAT_ADMIN_PASSWORD, or with a random one-time password that must be changed at first login.
 * There is no default password.
 */
@Startup
@Singleton
@DependsOn("SchemaMigrations")
public class AdminBootstrap {

  private static final Logger LOG = Logger.getLogger(AdminBootstrap.class.getName());

  @PersistenceContext EntityManager em;
  @Inject InitialAdminPassword initialPassword;
  @Inject Passwords passwords;
  @Inject Enrolment enrolment;
  @Inject StartupTurn startupTurn;

  @Inject
  @ConfigProperty(name = "llmchat.admin.username", defaultValue = "admin")
  String username;

  @Inject
  @ConfigProperty(name = "llmchat.admin.password")
  Optional<String> password;

  @PostConstruct
  void ensureAdministrator() {
    // the servers of a cluster starting together: one looks and creates at a time
    startupTurn.take();
    long admins =
        em.createQuery("select count(a) from Account a where a.role = :role", Long.class)
            .setParameter("role", Role.ADMIN)
            .getSingleResult();
    if (admins > 0) {
      return;
    }
    boolean generated = password.filter(p -> !p.isBlank()).isEmpty();
    String secret = generated ? PasswordHash.randomPassword() : password.get();
    if (!generated) {
      passwords
          .violation(username, secret)
          .ifPresent(
              reason -> {
                throw new IllegalStateException("LLMCHAT_ADMIN_PASSWORD " + reason);
              });
    }
    Account admin =
        new Account(username, "Administrator", null, Role.ADMIN, passwords.hash(secret), generated);
    em.persist(admin);
    enrolment.joinDefaultGroup(admin);
    if (generated) {
      initialPassword.write(username, secret);
      LOG.warning(
          () ->
              "Created the administrator '"
                  + username
                  + "' with a one-time password, stored in "
                  + initialPassword.file()
                  + " (readable by the server's user only). It must be changed at first login.");
    } else {
      LOG.info(
          () ->
              "Created the administrator '"
                  + username
                  + "' with the password from LLMCHAT_ADMIN_PASSWORD");
    }
  }
}
