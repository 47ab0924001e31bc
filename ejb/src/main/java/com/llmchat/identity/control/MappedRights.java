package com.llmchat.identity.control;

import com.llmchat.identity.entity.GroupMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a person's directory groups give here: our groups and the administrator role, and which
 * mappings gave them (for the administrators' "test login").
 */
public record MappedRights(Set<Long> groupIds, boolean administrator, List<GroupMapping> matched) {

  /** The mappings that name one of the groups (by normalized DN or lower-case name). */
  public static MappedRights of(List<GroupMapping> mappings, Set<String> groupKeys) {
    Set<Long> groups = new TreeSet<>();
    boolean admin = false;
    List<GroupMapping> matched = new ArrayList<>();
    for (GroupMapping mapping : mappings) {
      if (groupKeys.contains(LdapNames.groupKey(mapping.externalGroup()))) {
        matched.add(mapping);
        if (mapping.groupId() != null) {
          groups.add(mapping.groupId());
        }
        admin |= mapping.administrator();
      }
    }
    return new MappedRights(Set.copyOf(groups), admin, List.copyOf(matched));
  }
}
