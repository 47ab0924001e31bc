package com.llmchat.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import java.text.MessageFormat;
import java.util.ResourceBundle;

/** Translated messages for the page being answered, from the UI's resource bundle. */
@RequestScoped
public class Messages {

  @Inject FacesContext faces;

  public String text(String key, Object... arguments) {
    ResourceBundle bundle = faces.getApplication().getResourceBundle(faces, "msg");
    String pattern = bundle.containsKey(key) ? bundle.getString(key) : key;
    return arguments.length == 0
        ? pattern
        : new MessageFormat(pattern, faces.getViewRoot().getLocale()).format(arguments);
  }

  public void error(String key, Object... arguments) {
    faces.addMessage(
        null, new FacesMessage(FacesMessage.SEVERITY_ERROR, text(key, arguments), null));
  }
}
