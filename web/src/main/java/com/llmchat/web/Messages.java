package com.llmchat.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.TreeMap;

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

  /** Every text whose key starts with {@code prefix}, for a page's scripts. */
  public Map<String, String> startingWith(String prefix) {
    ResourceBundle bundle = faces.getApplication().getResourceBundle(faces, "msg");
    Map<String, String> texts = new TreeMap<>();
    for (String key : bundle.keySet()) {
      if (key.startsWith(prefix)) {
        texts.put(key.substring(prefix.length()), bundle.getString(key));
      }
    }
    return texts;
  }

  /**
   * A boundary's refusal, translated: the key is {@code prefix} and the reason in kebab case
   * ({@code NAME_TAKEN} under {@code register} is {@code register.name-taken}), with the
   * exception's message as {0}.
   */
  public void refused(String prefix, Enum<?> reason, String detail) {
    error(prefix + "." + reason.name().toLowerCase(Locale.ROOT).replace('_', '-'), detail);
  }

  public void info(String key, Object... arguments) {
    faces.addMessage(
        null, new FacesMessage(FacesMessage.SEVERITY_INFO, text(key, arguments), null));
  }

  public void error(String key, Object... arguments) {
    faces.addMessage(
        null, new FacesMessage(FacesMessage.SEVERITY_ERROR, text(key, arguments), null));
  }
}
