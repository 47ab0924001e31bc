package com.llmchat.identity.entity;

import com.llmchat.identity.entity.DirectorySettings.GroupMode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A company directory (LDAP / Active Directory) people log in with. Its accounts carry {@link
 * #origin()}; its bind password is kept sealed with the master key, bound to the URL and bind DN
 * (changing either needs the password again, so it is never sent to another server).
 */
@Entity
@Table(name = "directory")
@NamedQuery(name = Directory.ALL, query = "select d from Directory d order by d.position, d.id")
@NamedQuery(
    name = Directory.ENABLED,
    query = "select d from Directory d where d.enabled = true order by d.position, d.id")
@NamedQuery(name = Directory.BY_NAME, query = "select d from Directory d where d.nameKey = :key")
@NamedQuery(name = Directory.PRESET, query = "select d from Directory d where d.preset = true")
public class Directory {

  public static final String ALL = "Directory.all";
  public static final String ENABLED = "Directory.enabled";
  public static final String BY_NAME = "Directory.byName";
  public static final String PRESET = "Directory.preset";

  /** The origin of accounts from the directory with that id. */
  public static String origin(long id) {
    return "ldap:" + id;
  }

  @Id
  @SequenceGenerator(name = "directory_seq", sequenceName = "directory_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "directory_seq")
  private Long id;

  @Column(nullable = false, length = 64)
  private String name;

  @Column(name = "name_key", nullable = false, length = 64)
  private String nameKey;

  @Column(nullable = false)
  private boolean enabled;

  @Column(nullable = false)
  private int position;

  @Column(nullable = false, length = 500)
  private String url;

  @Column(name = "start_tls", nullable = false)
  private boolean startTls;

  @Column(name = "ca_certificates")
  private String caCertificates;

  @Column(name = "bind_dn", length = 500)
  private String bindDn;

  @Column(name = "bind_password", length = 2000)
  private String bindPasswordSealed;

  @Column(name = "bind_password_file", length = 500)
  private String bindPasswordFile;

  @Column(name = "user_base", nullable = false, length = 500)
  private String userBase;

  @Column(name = "user_filter", nullable = false, length = 1000)
  private String userFilter;

  @Column(name = "username_attribute", nullable = false, length = 64)
  private String usernameAttribute;

  @Column(name = "display_name_attribute", nullable = false, length = 64)
  private String displayNameAttribute;

  @Column(name = "email_attribute", nullable = false, length = 64)
  private String emailAttribute;

  @Column(name = "disabled_filter", length = 1000)
  private String disabledFilter;

  @Enumerated(EnumType.STRING)
  @Column(name = "group_mode", nullable = false, length = 16)
  private GroupMode groupMode;

  @Column(name = "group_attribute", nullable = false, length = 64)
  private String groupAttribute;

  @Column(name = "group_base", length = 500)
  private String groupBase;

  @Column(name = "group_filter", length = 1000)
  private String groupFilter;

  @Column(name = "group_name_attribute", nullable = false, length = 64)
  private String groupNameAttribute;

  @Column(name = "nested_groups", nullable = false)
  private boolean nestedGroups;

  @Column(nullable = false)
  private boolean preset;

  @Column(name = "created_at", nullable = false, updatable = false)
  private OffsetDateTime createdAt;

  @Version private long version;

  protected Directory() {}

  public Directory(DirectorySettings settings, boolean preset) {
    this.preset = preset;
    this.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
    configure(settings);
  }

  /**
   * Takes validated settings. A new URL or bind DN drops the sealed bind password: it was given for
   * the old pair.
   */
  public void configure(DirectorySettings settings) {
    DirectorySettings s = settings.validated();
    if (url != null && (!url.equals(s.url()) || !Objects.equals(bindDn, s.bindDn()))) {
      bindPasswordSealed = null;
    }
    this.name = s.name();
    this.nameKey = DirectorySettings.key(s.name());
    this.enabled = s.enabled();
    this.position = s.position();
    this.url = s.url();
    this.startTls = s.startTls();
    this.caCertificates = s.caCertificates();
    this.bindDn = s.bindDn();
    this.userBase = s.userBase();
    this.userFilter = s.userFilter();
    this.usernameAttribute = s.usernameAttribute();
    this.displayNameAttribute = s.displayNameAttribute();
    this.emailAttribute = s.emailAttribute();
    this.disabledFilter = s.disabledFilter();
    this.groupMode = s.groupMode();
    this.groupAttribute = s.groupAttribute();
    this.groupBase = s.groupBase();
    this.groupFilter = s.groupFilter();
    this.groupNameAttribute = s.groupNameAttribute();
    this.nestedGroups = s.nestedGroups();
  }

  public DirectorySettings settings() {
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

  /** What the bind password is sealed to: the server and the identity it is for. */
  public String sealingContext() {
    return sealingContext(url, bindDn);
  }

  /** The sealing context of a bind password (also for the operator's rotate-master-key). */
  public static String sealingContext(String url, String bindDn) {
    return "ldap-bind\n" + url + "\n" + (bindDn == null ? "" : bindDn);
  }

  /** The sealed bind password (null: none), and the file it was read from when preset. */
  public void storeBindPassword(String sealed, String file) {
    this.bindPasswordSealed = sealed;
    this.bindPasswordFile = file;
  }

  public void enable(boolean on) {
    this.enabled = on;
  }

  public Long id() {
    return id;
  }

  public String origin() {
    return origin(id);
  }

  public String name() {
    return name;
  }

  public boolean enabled() {
    return enabled;
  }

  public String bindPasswordSealed() {
    return bindPasswordSealed;
  }

  public String bindPasswordFile() {
    return bindPasswordFile;
  }

  public boolean preset() {
    return preset;
  }

  public OffsetDateTime createdAt() {
    return createdAt;
  }
}
