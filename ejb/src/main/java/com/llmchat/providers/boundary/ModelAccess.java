package com.llmchat.providers.boundary;

import com.llmchat.accounts.control.Callers;
import com.llmchat.accounts.entity.Account;
import com.llmchat.accounts.entity.Group;
import com.llmchat.audit.boundary.AuditLog;
import com.llmchat.audit.entity.AuditEvent.Outcome;
import com.llmchat.providers.boundary.ProviderException.Reason;
import com.llmchat.providers.control.ProviderChanged;
import com.llmchat.providers.entity.Model;
import com.llmchat.providers.entity.ModelGrant;
import com.llmchat.providers.entity.ModelKind;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who may use each shared model: everybody, or the members of chosen groups. Checked wherever a
 * model is reached, since every way to a model asks {@link Models} for the caller's choices; a
 * change takes effect on the next request.
 */
@Stateless
public class ModelAccess {

  /** A shared model (by alias) and the groups it is open to; none: everybody. */
  public record Access(String alias, String displayName, ModelKind kind, List<Group> groups) {

    public boolean everybody() {
      return groups.isEmpty();
    }
  }

  @PersistenceContext EntityManager em;
  @Inject Callers callers;
  @Inject AuditLog audit;
  @Inject Event<ProviderChanged> changed;

  /** Every alias the administrators' providers serve, with its groups. */
  public List<Access> list() {
    callers.requireAdmin();
    Map<Long, Group> groups = groups();
    Map<String, List<Group>> granted = new TreeMap<>();
    for (ModelGrant grant : em.createNamedQuery(ModelGrant.ALL, ModelGrant.class).getResultList()) {
      Group group = groups.get(grant.groupId());
      if (group != null) {
        granted.computeIfAbsent(grant.alias(), alias -> new ArrayList<>()).add(group);
      }
    }
    Map<String, Access> accesses = new LinkedHashMap<>();
    for (Model model : em.createNamedQuery(Model.SHARED, Model.class).getResultList()) {
      accesses.putIfAbsent(
          model.alias(),
          new Access(
              model.alias(),
              model.displayName(),
              model.kind(),
              sorted(granted.getOrDefault(model.alias(), List.of()))));
    }
    return List.copyOf(accesses.values());
  }

  /** Opens a shared model to exactly these groups; none: to everybody. */
  public Access grant(String alias, Set<Long> groupIds, String clientIp) {
    Account admin = callers.requireAdmin();
    Access before =
        list().stream()
            .filter(access -> access.alias().equals(alias))
            .findFirst()
            .orElseThrow(
                () -> new ProviderException(Reason.UNKNOWN_MODEL, "No shared model " + alias));
    Map<Long, Group> groups = groups();
    List<Group> chosen = new ArrayList<>();
    for (Long groupId : groupIds) {
      Group group = groups.get(groupId);
      if (group == null) {
        throw new ProviderException(Reason.INVALID, "No group with id " + groupId);
      }
      chosen.add(group);
    }
    for (ModelGrant grant :
        em.createNamedQuery(ModelGrant.OF_ALIAS, ModelGrant.class)
            .setParameter("alias", alias)
            .getResultList()) {
      em.remove(grant);
    }
    em.flush();
    for (Group group : chosen) {
      em.persist(new ModelGrant(alias, group.id()));
    }
    changed.fire(new ProviderChanged(0));
    Access after = new Access(before.alias(), before.displayName(), before.kind(), sorted(chosen));
    audit.record(
        admin.username(),
        "model-access",
        alias,
        Outcome.SUCCESS,
        clientIp,
        describe(before) + " -> " + describe(after));
    return after;
  }

  private Map<Long, Group> groups() {
    Map<Long, Group> groups = new LinkedHashMap<>();
    for (Group group : em.createNamedQuery(Group.ALL, Group.class).getResultList()) {
      groups.put(group.id(), group);
    }
    return groups;
  }

  private static List<Group> sorted(List<Group> groups) {
    return groups.stream().sorted(Comparator.comparing(Group::name)).toList();
  }

  private static String describe(Access access) {
    return access.everybody()
        ? "everybody"
        : access.groups().stream().map(Group::name).toList().toString();
  }
}
