package com.llmchat.providers.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/**
 * A group that may use a shared model (by alias). An alias with no grant is open to everybody; with
 * grants, to the members of those groups only.
 */
@Entity
@Table(name = "model_grant")
@IdClass(ModelGrant.Key.class)
@NamedQuery(name = ModelGrant.ALL, query = "select g from ModelGrant g order by g.alias")
@NamedQuery(name = ModelGrant.OF_ALIAS, query = "select g from ModelGrant g where g.alias = :alias")
public class ModelGrant {

  public static final String ALL = "ModelGrant.all";
  public static final String OF_ALIAS = "ModelGrant.ofAlias";

  /** The primary key: alias and group (a class with fields, as JPA sets them). */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    private String alias;
    private Long groupId;

    public Key() {}

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key
          && Objects.equals(alias, key.alias)
          && Objects.equals(groupId, key.groupId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(alias, groupId);
    }
  }

  @Id
  @Column(nullable = false, length = 100)
  private String alias;

  @Id
  @Column(name = "group_id")
  private Long groupId;

  protected ModelGrant() {}

  public ModelGrant(String alias, long groupId) {
    this.alias = Objects.requireNonNull(alias, "alias");
    this.groupId = groupId;
  }

  public String alias() {
    return alias;
  }

  public long groupId() {
    return groupId;
  }
}
