package com.llmchat.web.admin.settings;

import com.llmchat.accounts.boundary.Accounts;
import com.llmchat.accounts.boundary.Groups;
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
  @Inject Groups groups;
  @Inject Messages messages;

  private boolean registrationOpen;
  private String defaultModel;
  private String defaultGroup;

  @PostConstruct
  void load() {
    registrationOpen = accounts.registrationOpen();
    defaultModel = models.defaultAlias().orElse("");
    defaultGroup = groups.defaultGroup().orElse("");
  }

  public void save() {
    accounts.openRegistration(registrationOpen);
    try {
      models.chooseDefault(defaultModel);
    } catch (InvalidSettingException e) {
      messages.error("admin.settings.unknown-model", defaultModel);
      return;
    }
    try {
      groups.chooseDefault(defaultGroup);
    } catch (InvalidSettingException e) {
      messages.error("admin.groups.not-found", defaultGroup);
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

  public List<String> getGroupNames() {
    return groups.list().stream().map(summary -> summary.group().name()).toList();
  }

  public String getDefaultGroup() {
    return defaultGroup;
  }

  public void setDefaultGroup(String defaultGroup) {
    this.defaultGroup = defaultGroup;
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
