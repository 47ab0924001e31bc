package com.llmchat.accounts.control;

import com.llmchat.accounts.entity.Account;
import com.llmchat.settings.boundary.InvalidSettingException;
import com.llmchat.settings.boundary.SettingRule;
import com.llmchat.settings.boundary.Settings;
import com.llmchat.settings.entity.Setting;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Local logins (a password kept here): {@code allowed}, or {@code break-glass-only} once everyone
 * logs in with the company directory — then only the bootstrap administrator
 * (LLMCHAT_ADMIN_USERNAME) still logs in locally, so that a directory outage never locks the
 * administrators out.
 */
@ApplicationScoped
public class LocalLoginSetting implements SettingRule {

  public static final String NAME = "local-login";
  public static final String ALLOWED = "allowed";
  public static final String BREAK_GLASS_ONLY = "break-glass-only";

  @Inject Settings settings;

  @Inject
  @ConfigProperty(name = "llmchat.local-login", defaultValue = ALLOWED)
  String configured;

  @Inject
  @ConfigProperty(name = "llmchat.admin.username", defaultValue = "admin")
  String bootstrapAdministrator;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String accept(String value) {
    String chosen = value.toLowerCase(Locale.ROOT);
    if (!chosen.equals(ALLOWED) && !chosen.equals(BREAK_GLASS_ONLY)) {
      throw new InvalidSettingException(
          "local-login is either " + ALLOWED + " or " + BREAK_GLASS_ONLY);
    }
    return chosen;
  }

  /** What is in force: the administrators' setting, else LLMCHAT_LOCAL_LOGIN. */
  public String value() {
    return settings
        .find(NAME)
        .map(Setting::value)
        .orElse(configured.strip().toLowerCase(Locale.ROOT));
  }

  /** Whether every local account may log in with its password. */
  public boolean allowed() {
    return !BREAK_GLASS_ONLY.equals(value());
  }

  /** The administrator created at first start, who can always log in locally. */
  public boolean isBootstrapAdministrator(Account account) {
    return account.isLocal()
        && account.isAdmin()
        && Account.key(account.username()).equals(Account.key(bootstrapAdministrator));
  }
}
