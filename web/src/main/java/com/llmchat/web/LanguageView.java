package com.llmchat.web;

import com.llmchat.accounts.boundary.Accounts;
import jakarta.enterprise.context.SessionScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.Serializable;
import java.security.Principal;
import java.util.Locale;
import java.util.Objects;

/**
 * The language of the pages: the one the user chose (stored with the account), else the browser's,
 * else English. The switch on every page changes it for the session and the account.
 */
@Named("language")
@SessionScoped
public class LanguageView implements Serializable {

  private static final long serialVersionUID = 1L;

  @Inject Accounts accounts;

  private Locale chosen;
  private String loadedFor;

  public Locale getLocale() {
    FacesContext faces = FacesContext.getCurrentInstance();
    Principal user = faces.getExternalContext().getUserPrincipal();
    if (user != null && !Objects.equals(loadedFor, user.getName())) {
      // a new login: the account's stored choice, if it made one
      loadedFor = user.getName();
      String stored = accounts.me().locale();
      chosen = stored == null ? chosen : supported(stored);
    }
    return chosen != null ? chosen : faces.getApplication().getViewHandler().calculateLocale(faces);
  }

  /** Switches to a supported language ({@code en}, {@code zh_CN}); remembered for the user. */
  public void use(String tag) throws IOException {
    chosen = supported(tag);
    FacesContext faces = FacesContext.getCurrentInstance();
    if (faces.getExternalContext().getUserPrincipal() != null) {
      accounts.updateProfile(null, null, chosen.toString());
    }
    SamePage.reload(faces);
  }

  /** After the profile changed: its language, or the browser's when it names none. */
  public void follow(String tag) {
    chosen = tag == null || tag.isBlank() ? null : supported(tag);
    // what this request still says (the confirmation) is said in the new language
    FacesContext.getCurrentInstance().getViewRoot().setLocale(getLocale());
  }

  public boolean isChinese() {
    return getLocale().getLanguage().equals("zh");
  }

  private static Locale supported(String tag) {
    return tag != null && tag.toLowerCase(Locale.ROOT).startsWith("zh")
        ? Locale.SIMPLIFIED_CHINESE
        : Locale.ENGLISH;
  }
}
