package com.llmchat.providers.control;

import com.llmchat.providers.entity.Model;
import com.llmchat.settings.boundary.InvalidSettingException;
import com.llmchat.settings.boundary.SettingRule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The model new conversations start with: one everybody may pick (an enabled model of an
 * administrators' provider), or none (empty).
 */
@ApplicationScoped
public class DefaultModelSetting implements SettingRule {

  public static final String NAME = "default-model";

  @PersistenceContext EntityManager em;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String accept(String alias) {
    if (!alias.isEmpty()
        && em.createNamedQuery(Model.SHARED_ALIAS_COUNT, Long.class)
                .setParameter("alias", alias)
                .getSingleResult()
            == 0) {
      throw new InvalidSettingException("No model everybody may use is called " + alias);
    }
    return alias;
  }
}
