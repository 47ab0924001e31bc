package com.llmchat.accounts.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** An account in a group. A row of its own: a group of thousands is never loaded to add one. */
@Entity
@Table(name = "group_member")
@IdClass(Membership.Key.class)
@NamedQuery(
    name = Membership.MEMBERS,
    query =
        "select a from Account a where exists (select m from Membership m"
            + " where m.groupId = :group and m.accountId = a.id) order by a.usernameKey")
@NamedQuery(
    name = Membership.COUNT,
    query = "select count(m) from Membership m where m.groupId = :group")
@NamedQuery(
    name = Membership.OF_ACCOUNT,
    query = "select m from Membership m where m.accountId = :account")
@NamedQuery(
    name = Membership.COUNTS,
    query = "select m.groupId, count(m) from Membership m group by m.groupId")
public class Membership {

  public static final String MEMBERS = "Membership.members";
  public static final String COUNT = "Membership.count";
  public static final String OF_ACCOUNT = "Membership.ofAccount";

  /** Every group's member count, as (group id, count) rows. */
  public static final String COUNTS = "Membership.counts";

  /** The primary key: group and account (a class with fields, as JPA sets them). */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    private Long groupId;
    private Long accountId;

    public Key() {}

    public Key(long groupId, long accountId) {
      this.groupId = groupId;
      this.accountId = accountId;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key
          && Objects.equals(groupId, key.groupId)
          && Objects.equals(accountId, key.accountId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(groupId, accountId);
    }
  }

  @Id
  @Column(name = "group_id")
  private Long groupId;

  @Id
  @Column(name = "account_id")
  private Long accountId;

  /** Null: an administrator's doing. Else the account's origin, which replaces it at a login. */
  @Column(length = 80)
  private String origin;

  protected Membership() {}

  public Membership(long groupId, long accountId) {
    this(groupId, accountId, null);
  }

  public Membership(long groupId, long accountId, String origin) {
    this.groupId = groupId;
    this.accountId = accountId;
    this.origin = origin;
  }

  public String origin() {
    return origin;
  }

  public long groupId() {
    return groupId;
  }

  public long accountId() {
    return accountId;
  }
}
