package com.llmchat.rest;

import com.llmchat.accounts.boundary.Groups;
import com.llmchat.accounts.entity.Group;

/**
 * A group as the API shows it; {@code members} and {@code defaultGroup} only where the caller is an
 * administrator (null in a user's own list).
 */
public record GroupView(
    long id,
    String name,
    String description,
    boolean ownProviders,
    Long members,
    Boolean defaultGroup,
    String createdAt) {

  static GroupView of(Group group) {
    return new GroupView(
        group.id(),
        group.name(),
        group.description(),
        group.ownProviders(),
        null,
        null,
        group.createdAt().toString());
  }

  static GroupView of(Groups.Summary summary) {
    Group group = summary.group();
    return new GroupView(
        group.id(),
        group.name(),
        group.description(),
        group.ownProviders(),
        summary.members(),
        summary.joinedByNewAccounts(),
        group.createdAt().toString());
  }
}
