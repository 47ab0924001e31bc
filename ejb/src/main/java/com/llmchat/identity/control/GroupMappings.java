package com.llmchat.identity.control;

import com.llmchat.accounts.boundary.AccountException;
import com.llmchat.accounts.boundary.AccountException.Reason;
import com.llmchat.accounts.entity.Group;
import com.llmchat.audit.boundary.AuditLog;
import com.llmchat.audit.entity.AuditEvent.Outcome;
import com.llmchat.identity.entity.GroupMapping;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Adding and removing the mappings of a directory's or an identity provider's groups, audited under
 * the source's name; the callers have checked the administrator and the source.
 */
@Stateless
public class GroupMappings {

  @PersistenceContext EntityManager em;
  @Inject AuditLog audit;

  /** A new mapping (made by {@code create} from the checked values), audited as {@code action}. */
  public GroupMapping add(
      String actor,
      String action,
      String source,
      Long groupId,
      boolean administrator,
      Supplier<GroupMapping> create,
      String clientIp) {
    Group group = null;
    if (groupId != null) {
      group = em.find(Group.class, groupId);
      if (group == null) {
        throw new AccountException(Reason.GROUP_NOT_FOUND, "group " + groupId + " does not exist");
      }
    }
    GroupMapping mapping;
    try {
      mapping = create.get();
    } catch (IllegalArgumentException e) {
      throw new AccountException(Reason.INVALID, e.getMessage());
    }
    em.persist(mapping);
    audit.record(
        actor,
        action,
        source,
        Outcome.SUCCESS,
        clientIp,
        mapping.externalGroup()
            + " -> "
            + (group == null ? "" : "group " + group.name())
            + (administrator ? (group == null ? "" : " + ") + "administrator" : ""));
    return mapping;
  }

  /** Removes the mapping if it is the source's ({@code belongs}); members lose it at next login. */
  public void remove(
      String actor,
      String action,
      String source,
      long mappingId,
      Predicate<GroupMapping> belongs,
      String clientIp) {
    GroupMapping mapping = em.find(GroupMapping.class, mappingId);
    if (mapping == null || !belongs.test(mapping)) {
      throw new AccountException(Reason.MAPPING_NOT_FOUND, "mapping " + mappingId + " not found");
    }
    em.remove(mapping);
    audit.record(actor, action, source, Outcome.SUCCESS, clientIp, mapping.externalGroup());
  }
}
