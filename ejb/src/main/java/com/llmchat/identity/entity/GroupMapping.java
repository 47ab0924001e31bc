package com.llmchat.identity.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/**
 * A directory group — by its DN or by its name — gives members one of our groups, or the
 * administrator role, or both. Evaluated at every login of the directory's accounts.
 */
@Entity
@Table(name = "directory_group_map")
@NamedQuery(
    name = GroupMapping.OF_DIRECTORY,
    query = "select m from GroupMapping m where m.directoryId = :directory order by m.id")
@NamedQuery(
    name = GroupMapping.OF_PROVIDER,
    query = "select m from GroupMapping m where m.providerId = :provider order by m.id")
public class GroupMapping {

  public static final String OF_DIRECTORY = "GroupMapping.ofDirectory";
  public static final String OF_PROVIDER = "GroupMapping.ofProvider";

  @Id
  @SequenceGenerator(
      name = "directory_group_map_seq",
      sequenceName = "directory_group_map_seq",
      allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "directory_group_map_seq")
  private Long id;

  /** The directory the mapping belongs to, or null when it is an identity provider's. */
  @Column(name = "directory_id", updatable = false)
  private Long directoryId;

  @Column(name = "provider_id", updatable = false)
  private Long providerId;

  @Column(name = "external_group", nullable = false, length = 500)
  private String externalGroup;

  @Column(name = "group_id")
  private Long groupId;

  @Column(nullable = false)
  private boolean administrator;

  protected GroupMapping() {}

  /** A directory's mapping; groupId may be null when it gives the administrator role only. */
  public GroupMapping(long directoryId, String externalGroup, Long groupId, boolean administrator) {
    this(directoryId, null, externalGroup, groupId, administrator);
  }

  /** An identity provider's mapping (of a value of its groups claim). */
  public static GroupMapping ofProvider(
      long providerId, String externalGroup, Long groupId, boolean administrator) {
    return new GroupMapping(null, providerId, externalGroup, groupId, administrator);
  }

  private GroupMapping(
      Long directoryId,
      Long providerId,
      String externalGroup,
      Long groupId,
      boolean administrator) {
    String group = externalGroup == null ? "" : externalGroup.strip();
    if (group.isEmpty() || group.length() > 500) {
      throw new IllegalArgumentException(
          "the directory group must be given, by its DN or its name (at most 500 characters)");
    }
    if (groupId == null && !administrator) {
      throw new IllegalArgumentException(
          "a mapping must give a group, the administrator role, or both");
    }
    this.directoryId = directoryId;
    this.providerId = providerId;
    this.externalGroup = group;
    this.groupId = groupId;
    this.administrator = administrator;
  }

  public Long id() {
    return id;
  }

  public Long directoryId() {
    return directoryId;
  }

  public Long providerId() {
    return providerId;
  }

  public String externalGroup() {
    return externalGroup;
  }

  public Long groupId() {
    return groupId;
  }

  public boolean administrator() {
    return administrator;
  }
}
