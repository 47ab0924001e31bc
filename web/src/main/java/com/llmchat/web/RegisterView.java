package com.llmchat.web;

import com.llmchat.accounts.boundary.AccountException;
import com.llmchat.accounts.boundary.Accounts;
import com.llmchat.edge.ClientAddresses;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/** register.xhtml: self-registration, when an administrator has opened it. */
@Named
@RequestScoped
public class RegisterView {

  @Inject Accounts accounts;
  @Inject FacesContext faces;
  @Inject Messages messages;
  @Inject LanguageView language;

  private String username;
  private String displayName;
  private String email;
  private String password;
  private String confirmation;

  public boolean isOpen() {
    return accounts.registrationOpen();
  }

  public void register() throws IOException {
    if (password == null || !password.equals(confirmation)) {
      messages.error("password.mismatch");
      return;
    }
    ExternalContext external = faces.getExternalContext();
    try {
      accounts.register(
          username,
          password,
          displayName,
          email,
          language.getLocale().toString(),
          ClientAddresses.of((HttpServletRequest) external.getRequest()));
    } catch (AccountException e) {
      messages.refused("register", e.reason(), e.getMessage());
      return;
    } finally {
      password = null;
      confirmation = null;
    }
    external.getFlash().put("notice", messages.text("register.done", username));
    external.redirect(external.getRequestContextPath() + "/login.xhtml");
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getDisplayName() {
    return displayName;
  }

  public void setDisplayName(String displayName) {
    this.displayName = displayName;
  }

  public String getEmail() {
    return email;
  }

  public void setEmail(String email) {
    this.email = email;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public String getConfirmation() {
    return confirmation;
  }

  public void setConfirmation(String confirmation) {
    this.confirmation = confirmation;
  }
}
