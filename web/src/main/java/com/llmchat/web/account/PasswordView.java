package com.llmchat.web.account;

import com.llmchat.accounts.boundary.AccountException;
import com.llmchat.accounts.boundary.Accounts;
import com.llmchat.edge.ClientAddresses;
import com.llmchat.web.CallerFilter;
import com.llmchat.web.Messages;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Instant;

/** account/password.xhtml: choose a new password (forced after a one-time password). */
@Named
@RequestScoped
public class PasswordView {

  @Inject Accounts accounts;
  @Inject FacesContext faces;
  @Inject Messages messages;

  private String currentPassword;
  private String newPassword;
  private String confirmation;

  public boolean isRequired() {
    return accounts.me().mustChangePassword();
  }

  public void change() throws IOException {
    if (newPassword == null || !newPassword.equals(confirmation)) {
      messages.error("password.mismatch");
      return;
    }
    ExternalContext external = faces.getExternalContext();
    try {
      accounts.changePassword(
          currentPassword,
          newPassword,
          ClientAddresses.of((HttpServletRequest) external.getRequest()));
    } catch (AccountException e) {
      messages.refused("password", e.reason(), e.getMessage());
      return;
    } finally {
      currentPassword = null;
      newPassword = null;
      confirmation = null;
    }
    // this session goes on; every other session of the account ends with the change
    external.getSessionMap().put(CallerFilter.AUTHENTICATED_AT, Instant.now().getEpochSecond());
    external.getFlash().put("notice", messages.text("password.changed"));
    external.redirect(external.getRequestContextPath() + "/");
  }

  public String getCurrentPassword() {
    return currentPassword;
  }

  public void setCurrentPassword(String currentPassword) {
    this.currentPassword = currentPassword;
  }

  public String getNewPassword() {
    return newPassword;
  }

  public void setNewPassword(String newPassword) {
    this.newPassword = newPassword;
  }

  public String getConfirmation() {
    return confirmation;
  }

  public void setConfirmation(String confirmation) {
    this.confirmation = confirmation;
  }
}
