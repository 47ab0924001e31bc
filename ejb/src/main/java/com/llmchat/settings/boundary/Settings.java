package com.llmchat.settings.boundary;

import com.llmchat.accounts.control.Callers;
import com.llmchat.accounts.entity.Account;
import com.llmchat.audit.boundary.AuditLog;
import com.llmchat.audit.entity.AuditEvent.Outcome;
import com.llmchat.settings.entity.Setting;
import jakarta.ejb.Stateless;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;

@Stateless
public class Settings {

  @PersistenceContext EntityManager em;
  @Inject Callers callers;
  @Inject AuditLog audit;
  @Inject @Any Instance<SettingRule> rules;

  /** An administrator reads a setting. */
  public Optional<Setting> read(String name) {
    callers.requireAdmin();
    return find(name);
  }

  /**
   * An administrator changes a setting: only one that has a rule, only to a value its rule accepts,
   * and always audited. The settings page and the API both come here.
   */
  public Setting change(String name, String value) {
    Account admin = callers.requireAdmin();
    if (!Setting.isValidName(name)) {
      throw new InvalidSettingException("Setting names are lower-case words joined by '.' or '-'");
    }
    if (Setting.isReadOnly(name)) {
      throw new InvalidSettingException("Setting " + name + " is managed by the server");
    }
    SettingRule rule =
        rules.stream()
            .filter(candidate -> candidate.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new InvalidSettingException("There is no setting named " + name));
    String accepted = rule.accept(value == null ? "" : value.strip());
    Setting changed = put(name, accepted);
    audit.record(admin.username(), "setting-change", name, Outcome.SUCCESS, null, accepted);
    return changed;
  }

  public Optional<Setting> find(String name) {
    return em.createNamedQuery(Setting.BY_NAME, Setting.class)
        .setParameter("name", name)
        .getResultStream()
        .findFirst();
  }

  public Setting put(String name, String value) {
    Optional<Setting> existing = find(name);
    if (existing.isPresent()) {
      existing.get().change(value);
      return existing.get();
    }
    Setting created = new Setting(name, value);
    em.persist(created);
    return created;
  }

  /** Sets the value only when the setting does not exist yet; returns the value in force. */
  public String putIfAbsent(String name, String value) {
    return find(name).map(Setting::value).orElseGet(() -> put(name, value).value());
  }
}
