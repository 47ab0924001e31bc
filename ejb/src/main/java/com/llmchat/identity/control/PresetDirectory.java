package com.llmchat.identity.control;

import com.llmchat.identity.entity.Directory;
import com.llmchat.identity.entity.DirectorySettings;
import com.llmchat.identity.entity.DirectorySettings.GroupMode;
import com.llmchat.identity.entity.DirectorySettings.Kind;
import com.llmchat.platform.control.StartupTurn;
import com.llmchat.providers.control.ProviderCredentials;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * At every start: the directory the operator configured (LLMCHAT_LDAP_URL and the rest, the bind
 * password from LLMCHAT_LDAP_BIND_PASSWORD_FILE) becomes, or stays, a directory kept in step with
 * those settings; unset, it is disabled. Administrators edit its group mapping, not its settings.
 * Directories the administrators add stay theirs. Bind passwords sealed with an older master key
 * are re-sealed with the current one.
 */
@Startup
@Singleton
@DependsOn("SchemaMigrations")
public class PresetDirectory {

  private static final Logger LOG = Logger.getLogger(PresetDirectory.class.getName());

  @PersistenceContext EntityManager em;
  @Inject StartupTurn startupTurn;
  @Inject ProviderCredentials credentials;

  @Inject
  @ConfigProperty(name = "llmchat.ldap.url")
  Optional<String> url;

  @Inject
  @ConfigProperty(name = "llmchat.ldap.kind", defaultValue = "openldap")
  String kind;

  @Inject
  @ConfigProperty(name = "llmchat.ldap.name", defaultValue = "directory")
  String name;

  @Inject
  @ConfigProperty(name = "llmchat.ldap.base-dn")
  Optional<String> baseDn;

  @Inject
  @ConfigProperty(name = "llmchat.ldap.user-base")
  Optional<String> userBase;

  @Inject
  @ConfigProperty(name = "llmchat.ldap.user-filter")
  Optional<String> userFilter;

  @Inject
  @ConfigProperty(name = "llmchat.ldap.group-base")
  Optional<String> groupBase;

  @Inject
  @ConfigProperty(name = "llmchat.ldap.group-filter")
  Optional<String> groupFilter;

  @Inject
  @ConfigProperty(name = "llmchat.ldap.nested-groups", defaultValue = "false")
  boolean nestedGroups;

  @Inject
  @ConfigProperty(name = "llmchat.ldap.start-tls", defaultValue = "false")
  boolean startTls;

  @Inject
  @ConfigProperty(name = "llmchat.ldap.ca-file")
  Optional<String> caFile;

  @Inject
  @ConfigProperty(name = "llmchat.ldap.bind-dn")
  Optional<String> bindDn;

  @Inject
  @ConfigProperty(name = "llmchat.ldap.bind-password-file")
  Optional<String> bindPasswordFile;

  @PostConstruct
  void synchronize() {
    startupTurn.take();
    resealStalePasswords();
    Optional<Directory> existing =
        em.createNamedQuery(Directory.PRESET, Directory.class).getResultStream().findFirst();
    if (url.filter(u -> !u.isBlank()).isEmpty()) {
      existing.ifPresent(directory -> directory.enable(false));
      return;
    }
    DirectorySettings settings = settings();
    Directory directory =
        existing.orElseGet(
            () -> {
              Directory created = new Directory(settings, true);
              em.persist(created);
              return created;
            });
    directory.configure(settings);
    String password = bindPasswordFile.filter(f -> !f.isBlank()).map(this::read).orElse(null);
    directory.storeBindPassword(
        password == null ? null : credentials.seal(password, directory.sealingContext()),
        bindPasswordFile.filter(f -> !f.isBlank()).orElse(null));
    LOG.info(
        () ->
            "Company directory '"
                + directory.name()
                + "' at "
                + directory.settings().url()
                + " from LLMCHAT_LDAP_*");
  }

  /** The settings LLMCHAT_LDAP_* give (package-private for the unit test). */
  DirectorySettings settings() {
    if (baseDn.filter(b -> !b.isBlank()).isEmpty()
        && userBase.filter(b -> !b.isBlank()).isEmpty()) {
      throw new IllegalStateException(
          "LLMCHAT_LDAP_URL is set: set LLMCHAT_LDAP_BASE_DN (or LLMCHAT_LDAP_USER_BASE) too");
    }
    Kind chosen =
        switch (kind.strip().toLowerCase(Locale.ROOT)) {
          case "openldap", "ldap" -> Kind.OPENLDAP;
          case "active-directory", "ad" -> Kind.ACTIVE_DIRECTORY;
          default ->
              throw new IllegalStateException(
                  "LLMCHAT_LDAP_KIND is openldap or active-directory, not " + kind);
        };
    String base = baseDn.filter(b -> !b.isBlank()).orElse(userBase.orElse(null));
    DirectorySettings preset = DirectorySettings.preset(chosen, name, url.get(), base);
    String groupSearchFilter = groupFilter.filter(f -> !f.isBlank()).orElse(preset.groupFilter());
    try {
      return new DirectorySettings(
              name,
              true,
              0,
              url.get().strip(),
              startTls,
              caFile.filter(f -> !f.isBlank()).map(this::read).orElse(null),
              bindDn.filter(b -> !b.isBlank()).orElse(null),
              userBase.filter(b -> !b.isBlank()).orElse(base),
              userFilter.filter(f -> !f.isBlank()).orElse(preset.userFilter()),
              preset.usernameAttribute(),
              preset.displayNameAttribute(),
              preset.emailAttribute(),
              preset.disabledFilter(),
              groupFilter.filter(f -> !f.isBlank()).isPresent()
                  ? GroupMode.SEARCH
                  : preset.groupMode(),
              preset.groupAttribute(),
              groupBase.filter(b -> !b.isBlank()).orElse(preset.groupBase()),
              groupSearchFilter,
              preset.groupNameAttribute(),
              nestedGroups)
          .validated();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("LLMCHAT_LDAP_*: " + e.getMessage(), e);
    }
  }

  private String read(String file) {
    try {
      return Files.readString(Path.of(file.strip()), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + " (LLMCHAT_LDAP_*): " + e, e);
    }
  }

  private void resealStalePasswords() {
    for (Directory directory :
        em.createNamedQuery(Directory.ALL, Directory.class).getResultList()) {
      String sealed = directory.bindPasswordSealed();
      if (sealed != null && credentials.isStale(sealed)) {
        String context = directory.sealingContext();
        directory.storeBindPassword(
            credentials.seal(credentials.open(sealed, context), context),
            directory.bindPasswordFile());
      }
    }
  }
}
