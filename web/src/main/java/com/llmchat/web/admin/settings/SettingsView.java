package com.llmchat.web.admin.settings;

import com.llmchat.accounts.boundary.Accounts;
import com.llmchat.web.Messages;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** admin/settings.xhtml: installation settings an administrator may change at run time. */
@Named
@RequestScoped
public class SettingsView {

  @Inject Accounts accounts;
  @Inject Messages messages;

  private boolean registrationOpen;

  @PostConstruct
  void load() {
    registrationOpen = accounts.registrationOpen();
  }

  public void save() {
    accounts.openRegistration(registrationOpen);
    FacesContext.getCurrentInstance()
        .getExternalContext()
        .getFlash()
        .put("notice", messages.text("admin.settings.saved"));
  }

  public boolean isRegistrationOpen() {
    return registrationOpen;
  }

  public void setRegistrationOpen(boolean registrationOpen) {
    this.registrationOpen = registrationOpen;
  }
}
