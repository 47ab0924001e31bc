package com.llmchat.web.admin.directories;

import com.llmchat.accounts.boundary.AccountException;
import com.llmchat.accounts.boundary.Groups;
import com.llmchat.accounts.control.LocalLoginSetting;
import com.llmchat.edge.ClientAddresses;
import com.llmchat.identity.boundary.Directories;
import com.llmchat.identity.control.LdapClient;
import com.llmchat.identity.entity.Directory;
import com.llmchat.identity.entity.DirectorySettings;
import com.llmchat.identity.entity.DirectorySettings.GroupMode;
import com.llmchat.identity.entity.DirectorySettings.Kind;
import com.llmchat.identity.entity.GroupMapping;
import com.llmchat.settings.boundary.Settings;
import com.llmchat.web.Messages;
import jakarta.annotation.PostConstruct;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * admin/directories.xhtml: company directories (LDAP / Active Directory) added, changed, tested
 * (connection and a trial login) and removed; their groups mapped to ours and to the administrator
 * role; whether local accounts may still log in.
 */
@Named("adminDirectoriesView")
@ViewScoped
public class DirectoriesView implements Serializable {

  private static final long serialVersionUID = 1L;

  @Inject Directories directories;
  @Inject Groups groups;
  @Inject Settings settings;
  @Inject LocalLoginSetting localLogin;
  @Inject Messages messages;

  /** The directory being edited (null: a new one) and its settings as the form holds them. */
  private Long editedId;

  private final DirectoryForm form = new DirectoryForm();
  private Long chosenId;
  private String trialUsername;
  private String trialPassword;
  private Directories.TrialLogin trial;
  private LdapClient.Probe probe;
  private String probedName;
  private String newDirectoryGroup;
  private Long newGroupId;
  private boolean newAdministrator;
  private String localLoginValue;

  private transient List<Directory> shown;
  private transient FacesContext shownIn;
  private transient List<Groups.Summary> groupsShown;
  private transient FacesContext groupsShownIn;

  @PostConstruct
  void load() {
    localLoginValue = localLogin.value();
    form.apply(DirectorySettings.openLdap("", "ldap://", "dc=example,dc=com"), "openldap");
  }

  public List<Directory> getDirectories() {
    FacesContext request = FacesContext.getCurrentInstance();
    if (shown == null || shownIn != request) {
      shown = directories.list();
      shownIn = request;
    }
    return shown;
  }

  public Directory getChosen() {
    return chosenId == null
        ? null
        : getDirectories().stream().filter(d -> d.id().equals(chosenId)).findFirst().orElse(null);
  }

  public List<GroupMapping> getMappings() {
    return chosenId == null ? List.of() : directories.mappings(chosenId);
  }

  /** Our groups, read once per request (the menu and every mapping row ask). */
  public List<Groups.Summary> getGroups() {
    FacesContext request = FacesContext.getCurrentInstance();
    if (groupsShown == null || groupsShownIn != request) {
      groupsShown = groups.list();
      groupsShownIn = request;
    }
    return groupsShown;
  }

  /** Our group's name for a mapping (empty when it gives the administrator role only). */
  public String groupName(Long groupId) {
    return groupId == null
        ? ""
        : getGroups().stream()
            .filter(s -> s.group().id().equals(groupId))
            .map(s -> s.group().name())
            .findFirst()
            .orElse("#" + groupId);
  }

  /** Fills the form with the usual settings of the chosen kind, keeping name, URL and base. */
  public void applyKind() {
    DirectorySettings preset =
        DirectorySettings.preset(
            "active-directory".equals(form.getKind()) ? Kind.ACTIVE_DIRECTORY : Kind.OPENLDAP,
            form.getName(),
            form.getUrl(),
            form.getUserBase());
    form.apply(preset, form.getKind());
  }

  public void startNew() {
    editedId = null;
    form.apply(DirectorySettings.openLdap("", "ldap://", "dc=example,dc=com"), "openldap");
  }

  public void edit(Directory directory) {
    editedId = directory.id();
    chosenId = directory.id();
    form.apply(directory.settings(), null);
  }

  public void save() {
    act(
        () -> {
          DirectorySettings entered = form.settings();
          String password = form.getBindPassword();
          Directory saved =
              editedId == null
                  ? directories.create(entered, password, clientIp())
                  : directories.update(
                      editedId,
                      entered,
                      password == null || password.isEmpty() ? null : password,
                      clientIp());
          editedId = saved.id();
          chosenId = saved.id();
          form.setBindPassword(null);
          messages.info("admin.directories.saved", saved.name());
        });
  }

  public void delete(Directory directory) {
    act(
        () -> {
          directories.delete(directory.id(), clientIp());
          if (directory.id().equals(chosenId)) {
            chosenId = null;
          }
          if (directory.id().equals(editedId)) {
            startNew();
          }
        });
  }

  public void test(Directory directory) {
    act(
        () -> {
          probe = directories.probe(directory.id(), clientIp());
          probedName = directory.name();
          chosenId = directory.id();
        });
  }

  public void tryLogin() {
    act(
        () -> {
          trial = directories.tryLogin(chosenId, trialUsername, trialPassword, clientIp());
          trialPassword = null;
        });
  }

  public void choose(Directory directory) {
    chosenId = directory.id();
    trial = null;
  }

  public void addMapping() {
    act(
        () -> {
          directories.map(chosenId, newDirectoryGroup, newGroupId, newAdministrator, clientIp());
          newDirectoryGroup = null;
          newGroupId = null;
          newAdministrator = false;
        });
  }

  public void removeMapping(GroupMapping mapping) {
    act(() -> directories.unmap(chosenId, mapping.id(), clientIp()));
  }

  public void saveLocalLogin() {
    act(
        () -> {
          settings.change(LocalLoginSetting.NAME, localLoginValue);
          messages.info("admin.directories.localLogin.saved");
        });
  }

  private void act(Runnable action) {
    try {
      action.run();
      shown = null;
    } catch (AccountException e) {
      messages.refused("admin.directories", e.reason(), e.getMessage());
    } catch (IllegalArgumentException e) {
      messages.error("admin.directories.invalid", e.getMessage());
    }
  }

  private static String clientIp() {
    return ClientAddresses.of(
        (HttpServletRequest) FacesContext.getCurrentInstance().getExternalContext().getRequest());
  }

  public List<GroupMode> getGroupModes() {
    return List.of(GroupMode.values());
  }

  public DirectoryForm getForm() {
    return form;
  }

  public Long getEditedId() {
    return editedId;
  }

  public LdapClient.Probe getProbe() {
    return probe;
  }

  public String getProbedName() {
    return probedName;
  }

  public Directories.TrialLogin getTrial() {
    return trial;
  }

  public String getTrialUsername() {
    return trialUsername;
  }

  public void setTrialUsername(String trialUsername) {
    this.trialUsername = trialUsername;
  }

  public String getTrialPassword() {
    return trialPassword;
  }

  public void setTrialPassword(String trialPassword) {
    this.trialPassword = trialPassword;
  }

  public String getNewDirectoryGroup() {
    return newDirectoryGroup;
  }

  public void setNewDirectoryGroup(String newDirectoryGroup) {
    this.newDirectoryGroup = newDirectoryGroup;
  }

  public Long getNewGroupId() {
    return newGroupId;
  }

  public void setNewGroupId(Long newGroupId) {
    this.newGroupId = newGroupId;
  }

  public boolean isNewAdministrator() {
    return newAdministrator;
  }

  public void setNewAdministrator(boolean newAdministrator) {
    this.newAdministrator = newAdministrator;
  }

  public String getLocalLoginValue() {
    return localLoginValue;
  }

  public void setLocalLoginValue(String localLoginValue) {
    this.localLoginValue = localLoginValue;
  }

  /** What a trial login would give, as one line: our groups, and the administrator role. */
  public String gives(Directories.TrialLogin shownTrial) {
    String groupsGiven = String.join(", ", shownTrial.mappedGroups());
    if (shownTrial.administrator()) {
      String role = messages.text("admin.directories.administrator");
      return groupsGiven.isEmpty() ? role : groupsGiven + " + " + role;
    }
    return groupsGiven.isEmpty() ? messages.text("admin.directories.trial.nothing") : groupsGiven;
  }

  /** Used by the page to show the trial's groups as one line. */
  public String joined(List<LdapClient.DirectoryGroup> found) {
    return found.stream()
        .map(g -> g.name() == null ? g.dn() : g.name())
        .collect(Collectors.joining(", "));
  }
}
