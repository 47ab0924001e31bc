package com.llmchat.web.admin.directories;

import com.llmchat.identity.entity.DirectorySettings;
import com.llmchat.identity.entity.DirectorySettings.GroupMode;
import java.io.Serializable;

/** A directory's settings as the page's form edits them; the bind password is write-only. */
public class DirectoryForm implements Serializable {

  private static final long serialVersionUID = 1L;

  private String kind = "openldap";
  private String name;
  private boolean enabled = true;
  private int position;
  private String url;
  private boolean startTls;
  private String caCertificates;
  private String bindDn;
  private String bindPassword;
  private String userBase;
  private String userFilter;
  private String usernameAttribute;
  private String displayNameAttribute;
  private String emailAttribute;
  private String disabledFilter;
  private GroupMode groupMode = GroupMode.SEARCH;
  private String groupAttribute;
  private String groupBase;
  private String groupFilter;
  private String groupNameAttribute;
  private boolean nestedGroups;

  /** Shows these settings; a null kind keeps the one chosen. */
  void apply(DirectorySettings s, String newKind) {
    if (newKind != null) {
      kind = newKind;
    }
    name = s.name();
    enabled = s.enabled();
    position = s.position();
    url = s.url();
    startTls = s.startTls();
    caCertificates = s.caCertificates();
    bindDn = s.bindDn();
    bindPassword = null;
    userBase = s.userBase();
    userFilter = s.userFilter();
    usernameAttribute = s.usernameAttribute();
    displayNameAttribute = s.displayNameAttribute();
    emailAttribute = s.emailAttribute();
    disabledFilter = s.disabledFilter();
    groupMode = s.groupMode();
    groupAttribute = s.groupAttribute();
    groupBase = s.groupBase();
    groupFilter = s.groupFilter();
    groupNameAttribute = s.groupNameAttribute();
    nestedGroups = s.nestedGroups();
  }

  DirectorySettings settings() {
    return new DirectorySettings(
        name,
        enabled,
        position,
        url,
        startTls,
        caCertificates,
        bindDn,
        userBase,
        userFilter,
        usernameAttribute,
        displayNameAttribute,
        emailAttribute,
        disabledFilter,
        groupMode,
        groupAttribute,
        groupBase,
        groupFilter,
        groupNameAttribute,
        nestedGroups);
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public int getPosition() {
    return position;
  }

  public void setPosition(int position) {
    this.position = position;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public boolean isStartTls() {
    return startTls;
  }

  public void setStartTls(boolean startTls) {
    this.startTls = startTls;
  }

  public String getCaCertificates() {
    return caCertificates;
  }

  public void setCaCertificates(String caCertificates) {
    this.caCertificates = caCertificates;
  }

  public String getBindDn() {
    return bindDn;
  }

  public void setBindDn(String bindDn) {
    this.bindDn = bindDn;
  }

  public String getBindPassword() {
    return bindPassword;
  }

  public void setBindPassword(String bindPassword) {
    this.bindPassword = bindPassword;
  }

  public String getUserBase() {
    return userBase;
  }

  public void setUserBase(String userBase) {
    this.userBase = userBase;
  }

  public String getUserFilter() {
    return userFilter;
  }

  public void setUserFilter(String userFilter) {
    this.userFilter = userFilter;
  }

  public String getUsernameAttribute() {
    return usernameAttribute;
  }

  public void setUsernameAttribute(String usernameAttribute) {
    this.usernameAttribute = usernameAttribute;
  }

  public String getDisplayNameAttribute() {
    return displayNameAttribute;
  }

  public void setDisplayNameAttribute(String displayNameAttribute) {
    this.displayNameAttribute = displayNameAttribute;
  }

  public String getEmailAttribute() {
    return emailAttribute;
  }

  public void setEmailAttribute(String emailAttribute) {
    this.emailAttribute = emailAttribute;
  }

  public String getDisabledFilter() {
    return disabledFilter;
  }

  public void setDisabledFilter(String disabledFilter) {
    this.disabledFilter = disabledFilter;
  }

  public GroupMode getGroupMode() {
    return groupMode;
  }

  public void setGroupMode(GroupMode groupMode) {
    this.groupMode = groupMode;
  }

  public String getGroupAttribute() {
    return groupAttribute;
  }

  public void setGroupAttribute(String groupAttribute) {
    this.groupAttribute = groupAttribute;
  }

  public String getGroupBase() {
    return groupBase;
  }

  public void setGroupBase(String groupBase) {
    this.groupBase = groupBase;
  }

  public String getGroupFilter() {
    return groupFilter;
  }

  public void setGroupFilter(String groupFilter) {
    this.groupFilter = groupFilter;
  }

  public String getGroupNameAttribute() {
    return groupNameAttribute;
  }

  public void setGroupNameAttribute(String groupNameAttribute) {
    this.groupNameAttribute = groupNameAttribute;
  }

  public boolean isNestedGroups() {
    return nestedGroups;
  }

  public void setNestedGroups(boolean nestedGroups) {
    this.nestedGroups = nestedGroups;
  }
}
