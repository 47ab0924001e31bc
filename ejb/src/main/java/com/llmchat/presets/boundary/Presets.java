package com.llmchat.presets.boundary;

import com.llmchat.accounts.control.Callers;
import com.llmchat.accounts.entity.Group;
import com.llmchat.audit.boundary.AuditLog;
import com.llmchat.audit.entity.AuditEvent.Outcome;
import com.llmchat.presets.boundary.PresetException.Reason;
import com.llmchat.presets.entity.Preset;
import com.llmchat.presets.entity.PresetSettings;
import com.llmchat.providers.boundary.Models;
import com.llmchat.providers.boundary.ProviderException;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Presets: users make their own; administrators publish shared ones to everybody or to chosen
 * groups. A user sees their own and the shared ones offered to them whose model they may chat with;
 * anything else is "not found". A user's preset must name a model the user may chat with; every
 * change is audited.
 */
@Stateless
public class Presets {

  /** Who a shared preset is offered to: everybody, or the members of these groups. */
  public record Sharing(boolean everyone, Set<Long> groups) {}

  /** What an import did: presets made, and presets of the same name replaced. */
  public record Imported(int created, int replaced) {}

  @PersistenceContext EntityManager em;
  @Inject Callers callers;
  @Inject Models models;
  @Inject AuditLog audit;

  /** The caller's own presets, then the shared ones offered to the caller, each by name. */
  public List<Preset> visible() {
    long me = callers.identity().accountId();
    List<Preset> found = new ArrayList<>(own(me));
    Set<Long> groups = groupsOf(me);
    for (Preset shared : em.createNamedQuery(Preset.SHARED, Preset.class).getResultList()) {
      if (usableBy(me, shared, groups)) {
        found.add(shared);
      }
    }
    return found;
  }

  /**
   * Whether the account may use the preset: its own, or shared with it — and, shared, naming a
   * model the account may chat with (a preset does not open a model to anybody).
   */
  private boolean usableBy(long accountId, Preset preset, Set<Long> groups) {
    return preset.offeredTo(accountId, groups)
        && (!preset.shared() || models.chats(accountId, preset.model()));
  }

  /** One the caller may see. */
  public Preset find(long id) {
    long me = callers.identity().accountId();
    Preset preset = em.find(Preset.class, id);
    if (preset == null || !usableBy(me, preset, groupsOf(me))) {
      throw notFound(id);
    }
    return preset;
  }

  /** Every shared preset, for administrators. */
  public List<Preset> shared() {
    callers.requireAdmin();
    return em.createNamedQuery(Preset.SHARED, Preset.class).getResultList();
  }

  /** A preset of the caller's own; its model must be one the caller may chat with. */
  public Preset create(PresetSettings settings, String clientIp) {
    long me = callers.identity().accountId();
    usable(me, settings.model());
    unique(me, settings.name(), null);
    Preset preset = new Preset(me, settings);
    em.persist(preset);
    em.flush();
    audited("preset-create", preset, clientIp);
    return preset;
  }

  /** A shared preset, for administrators. */
  public Preset publish(PresetSettings settings, Sharing sharing, String clientIp) {
    callers.requireAdmin();
    unique(null, settings.name(), null);
    Preset preset = new Preset(null, settings);
    preset.shareWith(sharing.everyone(), groups(sharing));
    em.persist(preset);
    em.flush();
    audited("preset-publish", preset, clientIp);
    return preset;
  }

  /**
   * Changes a preset: the caller's own, or (administrators) a shared one, whose {@code sharing} may
   * change too (null keeps it).
   */
  public Preset update(long id, PresetSettings settings, Sharing sharing, String clientIp) {
    Preset preset = changeable(id);
    if (!preset.shared()) {
      usable(preset.ownerId(), settings.model());
    }
    unique(preset.ownerId(), settings.name(), preset.id());
    preset.apply(settings);
    if (preset.shared() && sharing != null) {
      preset.shareWith(sharing.everyone(), groups(sharing));
    }
    audited("preset-update", preset, clientIp);
    return preset;
  }

  public void delete(long id, String clientIp) {
    Preset preset = changeable(id);
    audited("preset-delete", preset, clientIp);
    em.remove(preset);
  }

  /** The caller's own presets as they would be exported. */
  public List<PresetSettings> ownSettings() {
    return own(callers.identity().accountId()).stream().map(Preset::settings).toList();
  }

  /** Every shared preset as it would be exported, for administrators. */
  public List<PresetSettings> sharedSettings() {
    return shared().stream().map(Preset::settings).toList();
  }

  /**
   * Presets from a file, as the caller's own (or, {@code shared}, for administrators, as shared
   * ones offered to everybody): one of the same name is replaced, the others made. All or none.
   */
  public Imported bringIn(List<PresetSettings> presets, boolean shared, String clientIp) {
    Long owner = shared ? null : callers.identity().accountId();
    if (shared) {
      callers.requireAdmin();
    }
    Imported done = store(owner, presets);
    audit.record(
        callers.identity().username(),
        shared ? "presets-import-shared" : "presets-import",
        presets.size() + " presets",
        Outcome.SUCCESS,
        clientIp,
        done.created() + " new, " + done.replaced() + " replaced");
    return done;
  }

  /**
   * Shared presets from the operator's presets directory at start (no caller): the same as an
   * administrator's import, audited as the system's.
   */
  public Imported load(List<PresetSettings> presets, String file) {
    Imported done = store(null, presets);
    audit.record(
        "system",
        "presets-load",
        file,
        Outcome.SUCCESS,
        null,
        done.created() + " new, " + done.replaced() + " replaced");
    return done;
  }

  private Imported store(Long owner, List<PresetSettings> presets) {
    Set<String> names = new HashSet<>();
    for (PresetSettings settings : presets) {
      if (!names.add(Preset.key(settings.name()))) {
        throw new PresetException(Reason.INVALID, "The name " + settings.name() + " is twice");
      }
      if (owner != null) {
        usable(owner, settings.model());
      }
    }
    int created = 0;
    int replaced = 0;
    for (PresetSettings settings : presets) {
      var existing = byName(owner, settings.name());
      if (existing.isEmpty()) {
        Preset preset = new Preset(owner, settings);
        if (owner == null) {
          preset.shareWith(true, Set.of());
        }
        em.persist(preset);
        created++;
      } else {
        existing.get(0).apply(settings);
        replaced++;
      }
    }
    em.flush();
    return new Imported(created, replaced);
  }

  private Preset changeable(long id) {
    var caller = callers.identity();
    Preset preset = em.find(Preset.class, id);
    if (preset == null) {
      throw notFound(id);
    }
    if (preset.shared()) {
      if (!callers.current().isAdmin()) {
        // a user may use a shared preset offered to them, never change it
        throw preset.offeredTo(caller.accountId(), groupsOf(caller.accountId()))
            ? new PresetException(
                Reason.PRESET_NOT_FOUND, "Only administrators change shared presets")
            : notFound(id);
      }
      return preset;
    }
    if (preset.ownerId() != caller.accountId()) {
      throw notFound(id);
    }
    return preset;
  }

  private void usable(long accountId, String model) {
    if (!models.chats(accountId, model)) {
      throw new ProviderException(
          ProviderException.Reason.UNKNOWN_MODEL, "Unknown model: " + model);
    }
  }

  private void unique(Long owner, String name, Long self) {
    for (Preset same : byName(owner, name)) {
      if (!same.id().equals(self)) {
        throw new PresetException(Reason.NAME_TAKEN, "A preset is named " + name + " already");
      }
    }
  }

  private List<Preset> byName(Long owner, String name) {
    return owner == null
        ? em.createNamedQuery(Preset.SHARED_BY_NAME, Preset.class)
            .setParameter("key", Preset.key(name))
            .getResultList()
        : em.createNamedQuery(Preset.OWN_BY_NAME, Preset.class)
            .setParameter("owner", owner)
            .setParameter("key", Preset.key(name))
            .getResultList();
  }

  private List<Preset> own(long owner) {
    return em.createNamedQuery(Preset.OWN, Preset.class)
        .setParameter("owner", owner)
        .getResultList();
  }

  private Set<Long> groupsOf(long accountId) {
    return em.createNamedQuery(Group.OF_ACCOUNT, Group.class)
        .setParameter("account", accountId)
        .getResultStream()
        .map(Group::id)
        .collect(Collectors.toSet());
  }

  /** The groups named, each checked to exist. */
  private Set<Long> groups(Sharing sharing) {
    Set<Long> ids = sharing.groups() == null ? Set.of() : sharing.groups();
    for (Long id : ids) {
      if (id == null || em.find(Group.class, id) == null) {
        throw new PresetException(Reason.INVALID, "No group " + id);
      }
    }
    if (!sharing.everyone() && ids.isEmpty()) {
      throw new PresetException(
          Reason.INVALID, "A shared preset is offered to everybody or to at least one group");
    }
    return ids;
  }

  private void audited(String action, Preset preset, String clientIp) {
    audit.record(
        callers.identity().username(),
        action,
        preset.name(),
        Outcome.SUCCESS,
        clientIp,
        preset.shared()
            ? (preset.everyone()
                ? "shared with everybody"
                : "shared with groups " + preset.groups())
            : "own");
  }

  private static PresetException notFound(long id) {
    return new PresetException(Reason.PRESET_NOT_FOUND, "No preset " + id);
  }
}
