package com.llmchat.settings.boundary;

import com.llmchat.settings.entity.Setting;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

@Stateless
public class Settings {

  @PersistenceContext EntityManager em;

  public Optional<Setting> find(String name) {
    return em.createNamedQuery(Setting.BY_NAME, Setting.class)
        .setParameter("name", name)
        .getResultStream()
        .findFirst();
  }

  public List<Setting> all() {
    return em.createNamedQuery(Setting.ALL, Setting.class).getResultList();
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
