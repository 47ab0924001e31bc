package com.llmchat.accounts.entity;

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
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** A person who may use LLM Chat. The username never changes and is unique ignoring case. */
@Entity
@Table(name = "account")
@NamedQuery(
    name = Account.BY_USERNAME,
    query = "select a from Account a where a.usernameKey = :key")
@NamedQuery(
    name = Account.COUNT_ENABLED_ADMINS,
    query = "select count(a) from Account a where a.role = :role and a.enabled = true")
@NamedQuery(
    name = Account.SEARCH,
    query =
        "select a from Account a where a.usernameKey like :pattern"
            + " or lower(a.displayName) like :pattern or lower(a.email) like :pattern"
            + " order by a.usernameKey")
@NamedQuery(
    name = Account.COUNT_SEARCH,
    query =
        "select count(a) from Account a where a.usernameKey like :pattern"
            + " or lower(a.displayName) like :pattern or lower(a.email) like :pattern")
public class Account {

  public static final String BY_USERNAME = "Account.byUsername";
  public static final String COUNT_ENABLED_ADMINS = "Account.countEnabledAdmins";
  public static final String SEARCH = "Account.search";
  public static final String COUNT_SEARCH = "Account.countSearch";

  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,63}");
  private static final Pattern EMAIL =
      Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}\\.[^@\\s]{1,63}");
  private static final Pattern LOCALE = Pattern.compile("[a-z]{2,3}([_-][A-Za-z]{2,4})?");

  @Id
  @SequenceGenerator(name = "account_seq", sequenceName = "account_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "account_seq")
  private Long id;

  @Column(nullable = false, updatable = false, length = 64)
  private String username;

  @Column(name = "username_key", nullable = false, updatable = false, length = 64)
  private String usernameKey;

  @Column(name = "display_name", nullable = false, length = 100)
  private String displayName;

  @Column(length = 254)
  private String email;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 16)
  private Role role;

  @Column(nullable = false)
  private boolean enabled;

  @Column(length = 20)
  private String locale;

  @Column(name = "password_hash", nullable = false, length = 300)
  private String passwordHash;

  @Column(name = "must_change_password", nullable = false)
  private boolean mustChangePassword;

  @Column(name = "tokens_valid_after", nullable = false)
  private OffsetDateTime tokensValidAfter;

  @Column(name = "created_at", nullable = false, updatable = false)
  private OffsetDateTime createdAt;

  @Column(name = "last_login_at")
  private OffsetDateTime lastLoginAt;

  /** Null: a local account. Else where it comes from ('ldap:<id>'); its password is kept there. */
  @Column(length = 80)
  private String origin;

  /** Its name where it comes from (the directory entry's DN). */
  @Column(name = "external_id", length = 500)
  private String externalId;

  @Version private long version;

  protected Account() {}

  public Account(
      String username,
      String displayName,
      String email,
      Role role,
      String passwordHash,
      boolean mustChangePassword) {
    if (!isValidUsername(username)) {
      throw new IllegalArgumentException(
          "username must be 2-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    this.username = username;
    this.usernameKey = key(username);
    this.role = Objects.requireNonNull(role, "role");
    this.enabled = true;
    this.createdAt = now();
    this.tokensValidAfter = createdAt.truncatedTo(ChronoUnit.SECONDS);
    updateProfile(
        displayName == null || displayName.isBlank() ? username : displayName, email, null);
    this.passwordHash = Objects.requireNonNull(passwordHash, "passwordHash");
    this.mustChangePassword = mustChangePassword;
  }

  /** Stored instead of a password hash for an account whose password is kept elsewhere. */
  public static final String NO_LOCAL_PASSWORD = "!external";

  /** An account from a directory or identity provider: no password here, no change required. */
  public static Account external(
      String username, String displayName, String email, String origin, String externalId) {
    Account account = new Account(username, null, null, Role.USER, NO_LOCAL_PASSWORD, false);
    account.origin = Objects.requireNonNull(origin, "origin");
    account.syncFromOrigin(displayName, email, externalId);
    return account;
  }

  /**
   * What the origin says at a login: name and address (kept as they were when the origin's values
   * are empty or not valid here) and where the entry is.
   */
  public void syncFromOrigin(String newDisplayName, String newEmail, String newExternalId) {
    if (newDisplayName != null && !newDisplayName.isBlank()) {
      String name = newDisplayName.strip();
      this.displayName = name.length() > 100 ? name.substring(0, 100) : name;
    }
    this.email =
        newEmail != null && EMAIL.matcher(newEmail.strip()).matches() ? newEmail.strip() : null;
    this.externalId =
        newExternalId == null || newExternalId.length() <= 500
            ? newExternalId
            : newExternalId.substring(0, 500);
  }

  public static boolean isValidUsername(String username) {
    return username != null && USERNAME.matcher(username).matches();
  }

  /** The lookup key of a username: lower case, so 'Alice' and 'alice' are one account. */
  public static String key(String username) {
    return username == null ? "" : username.toLowerCase(Locale.ROOT);
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }

  public void updateProfile(String newDisplayName, String newEmail, String newLocale) {
    String name = newDisplayName == null ? displayName : newDisplayName.strip();
    if (name == null || name.isEmpty() || name.length() > 100) {
      throw new IllegalArgumentException("display name must be 1-100 characters");
    }
    if (newEmail != null && !newEmail.isBlank() && !EMAIL.matcher(newEmail.strip()).matches()) {
      throw new IllegalArgumentException("email address is not valid");
    }
    if (newLocale != null && !newLocale.isBlank() && !LOCALE.matcher(newLocale).matches()) {
      throw new IllegalArgumentException("locale must look like 'en' or 'zh-CN'");
    }
    this.displayName = name;
    this.email = newEmail == null || newEmail.isBlank() ? null : newEmail.strip();
    if (newLocale != null) {
      this.locale = newLocale.isBlank() ? null : newLocale;
    }
  }

  /** A new password ends every session that started before it. */
  public void changePassword(String newHash, boolean mustChangeAtNextLogin) {
    this.passwordHash = Objects.requireNonNull(newHash);
    this.mustChangePassword = mustChangeAtNextLogin;
    endSessions();
  }

  /** The same password with stronger hashing parameters: sessions stay. */
  public void rehash(String strongerHash) {
    this.passwordHash = Objects.requireNonNull(strongerHash);
  }

  public void endSessions() {
    this.tokensValidAfter = now().truncatedTo(ChronoUnit.SECONDS);
  }

  public void recordLogin() {
    this.lastLoginAt = now();
  }

  public void disable() {
    this.enabled = false;
    endSessions();
  }

  public void enable() {
    this.enabled = true;
  }

  public void changeRole(Role newRole) {
    this.role = Objects.requireNonNull(newRole, "role");
  }

  /** Whether an access token issued at that instant (seconds) is still honoured. */
  public boolean acceptsTokenIssuedAt(long issuedAtEpochSeconds) {
    return enabled && issuedAtEpochSeconds >= tokensValidAfter.toEpochSecond();
  }

  public Long id() {
    return id;
  }

  public String username() {
    return username;
  }

  public String displayName() {
    return displayName;
  }

  public String email() {
    return email;
  }

  public Role role() {
    return role;
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  public boolean enabled() {
    return enabled;
  }

  public String locale() {
    return locale;
  }

  public String passwordHash() {
    return passwordHash;
  }

  public boolean mustChangePassword() {
    return mustChangePassword;
  }

  public OffsetDateTime createdAt() {
    return createdAt;
  }

  public OffsetDateTime lastLoginAt() {
    return lastLoginAt;
  }

  /** Whether the password is ours (else the account's origin checks it). */
  public boolean isLocal() {
    return origin == null;
  }

  public String origin() {
    return origin;
  }

  public String externalId() {
    return externalId;
  }
}
