package com.llmchat.accounts.control;

import com.llmchat.accounts.entity.Group;
import com.llmchat.settings.boundary.InvalidSettingException;
import com.llmchat.settings.boundary.SettingRule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** The group new accounts join: the name of an existing group, or empty for none. */
@ApplicationScoped
public class DefaultGroupSetting implements SettingRule {

  public static final String NAME = "default-group";

  @PersistenceContext EntityManager em;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String accept(String value) {
    if (value.isEmpty()) {
      return value;
    }
    return em.createNamedQuery(Group.BY_NAME, Group.class)
        .setParameter("key", Group.key(value))
        .getResultStream()
        .findFirst()
        .map(Group::name)
        .orElseThrow(() -> new InvalidSettingException("There is no group named " + value));
  }
}
