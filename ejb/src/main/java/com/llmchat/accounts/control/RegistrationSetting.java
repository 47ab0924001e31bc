package com.llmchat.accounts.control;

import com.llmchat.settings.boundary.InvalidSettingException;
import com.llmchat.settings.boundary.SettingRule;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/** Self-registration: {@code open} or {@code closed}. */
@ApplicationScoped
public class RegistrationSetting implements SettingRule {

  public static final String NAME = "registration";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String accept(String value) {
    String chosen = value.toLowerCase(Locale.ROOT);
    if (!chosen.equals("open") && !chosen.equals("closed")) {
      throw new InvalidSettingException("registration is either open or closed");
    }
    return chosen;
  }
}
