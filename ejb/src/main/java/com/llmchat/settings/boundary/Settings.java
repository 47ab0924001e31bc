package com.llmchat.settings.boundary;

import com.llmchat.accounts.control.Callers;
import com.llmchat.settings.entity.Setting;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;

@Stateless
public class Settings {

  @PersistenceContext EntityManager em;
  @Inject Callers callers;

  /** An administrator reads a setting. */
  public Optional<Setting> read(String name) {
    callers.requireAdmin();
    return find(name);
  }

  /** An administrator changes a setting; the server's own settings are not theirs to change. */
  public Setting change(String name, String value) {
    callers.requireAdmin();
    if (!Setting.isValidName(name)) {
      throw new InvalidSettingException("Setting names are lower-case words joined by '.' or '-'");
    }
    if (Setting.isReadOnly(name)) {
      throw new InvalidSettingException("Setting " + name + " is managed by the server");
    }
    return put(name, value);
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
