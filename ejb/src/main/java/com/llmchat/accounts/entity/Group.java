package com.llmchat.accounts.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A group of accounts, such as a department: administrators open shared models to groups, and a
 * group says whether its members may add model servers of their own. The name is unique ignoring
 * case.
 */
@Entity
@Table(name = "account_group")
@NamedQuery(name = Group.ALL, query = "select g from Group g order by g.nameKey")
@NamedQuery(name = Group.BY_NAME, query = "select g from Group g where g.nameKey = :key")
@NamedQuery(
    name = Group.OF_ACCOUNT,
    query =
        "select g from Group g where exists (select m from Membership m"
            + " where m.groupId = g.id and m.accountId = :account) order by g.nameKey")
@NamedQuery(
    name = Group.ALLOWS_OWN_PROVIDERS,
    query =
        "select count(g) from Group g where g.ownProviders = true and exists (select m from"
            + " Membership m where m.groupId = g.id and m.accountId = :account)")
public class Group {

  public static final String ALL = "Group.all";
  public static final String BY_NAME = "Group.byName";
  public static final String OF_ACCOUNT = "Group.ofAccount";
  public static final String ALLOWS_OWN_PROVIDERS = "Group.allowsOwnProviders";

  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,63}");
  public static final int MAX_DESCRIPTION = 500;

  @Id
  @SequenceGenerator(
      name = "account_group_seq",
      sequenceName = "account_group_seq",
      allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "account_group_seq")
  private Long id;

  @Column(nullable = false, length = 64)
  private String name;

  @Column(name = "name_key", nullable = false, length = 64)
  private String nameKey;

  @Column(nullable = false, length = MAX_DESCRIPTION)
  private String description;

  @Column(name = "own_providers", nullable = false)
  private boolean ownProviders;

  @Column(name = "created_at", nullable = false, updatable = false)
  private OffsetDateTime createdAt;

  @Version private long version;

  protected Group() {}

  public Group(String name, String description, boolean ownProviders) {
    rename(name);
    describe(description);
    this.ownProviders = ownProviders;
    this.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
  }

  /** The lookup key of a group name: 'Research' and 'research' are one group. */
  public static String key(String name) {
    return name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
  }

  public void rename(String newName) {
    String stripped = newName == null ? "" : newName.strip();
    if (!NAME.matcher(stripped).matches()) {
      throw new IllegalArgumentException(
          "group name must be 1-64 letters, digits, spaces, '.', '_' or '-', starting with a"
              + " letter or digit");
    }
    this.name = stripped;
    this.nameKey = key(stripped);
  }

  public void describe(String newDescription) {
    String text = newDescription == null ? "" : newDescription.strip();
    if (text.length() > MAX_DESCRIPTION) {
      throw new IllegalArgumentException(
          "description must be at most " + MAX_DESCRIPTION + " characters");
    }
    this.description = text;
  }

  public void allowOwnProviders(boolean allowed) {
    this.ownProviders = allowed;
  }

  public Long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  public boolean ownProviders() {
    return ownProviders;
  }

  public OffsetDateTime createdAt() {
    return createdAt;
  }
}
