package com.llmchat.web.admin.settings;

import com.llmchat.accounts.boundary.Accounts;
import com.llmchat.providers.boundary.Models;
import com.llmchat.settings.boundary.InvalidSettingException;
import com.llmchat.web.Messages;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;

/** admin/settings.xhtml: installation settings an administrator may change at run time. */
@Named
@RequestScoped
public class SettingsView {

  @Inject Accounts accounts;
  @Inject Models models;
  @Inject Messages messages;

  private boolean registrationOpen;
  private String defaultModel;

  @PostConstruct
  void load() {
    registrationOpen = accounts.registrationOpen();
    defaultModel = models.defaultAlias().orElse("");
  }

  public void save() {
    accounts.openRegistration(registrationOpen);
    try {
      models.chooseDefault(defaultModel);
    } catch (InvalidSettingException e) {
      messages.error("admin.settings.unknown-model", defaultModel);
      return;
    }
    FacesContext.getCurrentInstance()
        .getExternalContext()
        .getFlash()
        .put("notice", messages.text("admin.settings.saved"));
  }

  /** The models everybody may pick: the new conversations' default is one of them. */
  public List<Models.Choice> getSharedModels() {
    return models.available().stream().filter(choice -> !choice.own() && choice.chat()).toList();
  }

  public String getDefaultModel() {
    return defaultModel;
  }

  public void setDefaultModel(String defaultModel) {
    this.defaultModel = defaultModel;
  }

  public boolean isRegistrationOpen() {
    return registrationOpen;
  }

  public void setRegistrationOpen(boolean registrationOpen) {
    this.registrationOpen = registrationOpen;
  }
}
