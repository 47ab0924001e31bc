package com.llmchat.presets.entity;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A named assistant: a model with a system prompt and parameters, a greeting shown before the first
 * message and suggested first messages. An administrator's is shared (no owner) with everybody or
 * with chosen groups; a user's own is theirs alone. Names are unique per owner, ignoring case.
 */
@Entity
@Table(name = "preset")
@NamedQuery(
    name = Preset.OWN,
    query = "select p from Preset p where p.ownerId = :owner order by p.nameKey")
@NamedQuery(
    name = Preset.SHARED,
    query = "select p from Preset p where p.ownerId is null order by p.nameKey")
@NamedQuery(
    name = Preset.OWN_BY_NAME,
    query = "select p from Preset p where p.ownerId = :owner and p.nameKey = :key")
@NamedQuery(
    name = Preset.SHARED_BY_NAME,
    query = "select p from Preset p where p.ownerId is null and p.nameKey = :key")
public class Preset {

  public static final String OWN = "Preset.own";
  public static final String SHARED = "Preset.shared";
  public static final String OWN_BY_NAME = "Preset.ownByName";
  public static final String SHARED_BY_NAME = "Preset.sharedByName";

  @Id
  @SequenceGenerator(name = "preset_seq", sequenceName = "preset_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "preset_seq")
  private Long id;

  @Column(name = "owner_id", updatable = false)
  private Long ownerId;

  @Column(nullable = false, length = 100)
  private String name;

  @Column(name = "name_key", nullable = false, length = 100)
  private String nameKey;

  @Column(length = 500)
  private String description;

  @Column(nullable = false, length = 100)
  private String model;

  @Column(name = "system_prompt")
  private String systemPrompt;

  private Double temperature;

  @Column(name = "max_tokens")
  private Integer maxTokens;

  private String greeting;

  private String suggestions;

  @Column(nullable = false)
  private boolean everyone;

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "preset_group", joinColumns = @JoinColumn(name = "preset_id"))
  @Column(name = "group_id")
  private Set<Long> groups = new HashSet<>();

  @Column(name = "created_at", nullable = false, updatable = false)
  private OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  private OffsetDateTime updatedAt;

  @Version private long version;

  protected Preset() {}

  /** A user's own preset ({@code owner}), or a shared one ({@code owner} null). */
  public Preset(Long owner, PresetSettings settings) {
    this.ownerId = owner;
    this.createdAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    apply(settings);
  }

  /** The settings, checked ({@link PresetSettings} validated them). */
  public void apply(PresetSettings settings) {
    this.name = settings.name();
    this.nameKey = key(settings.name());
    this.description = settings.description();
    this.model = settings.model();
    this.systemPrompt = settings.systemPrompt();
    this.temperature = settings.temperature();
    this.maxTokens = settings.maxTokens();
    this.greeting = settings.greeting();
    this.suggestions =
        settings.suggestions().isEmpty() ? null : String.join("\n", settings.suggestions());
    this.updatedAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }

  /** Who a shared preset is offered to: everybody, or the members of these groups. */
  public void shareWith(boolean toEveryone, Set<Long> groupIds) {
    this.everyone = toEveryone;
    this.groups.clear();
    if (!toEveryone) {
      this.groups.addAll(groupIds);
    }
    this.updatedAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
  }

  /** Whether an account in these groups may see and use it. */
  public boolean offeredTo(long accountId, Set<Long> accountGroups) {
    if (ownerId != null) {
      return ownerId == accountId;
    }
    return everyone || groups.stream().anyMatch(accountGroups::contains);
  }

  public static String key(String name) {
    return name.strip().toLowerCase(Locale.ROOT);
  }

  public PresetSettings settings() {
    return new PresetSettings(
        name, description, model, systemPrompt, temperature, maxTokens, greeting, suggestions());
  }

  public Long id() {
    return id;
  }

  public Long ownerId() {
    return ownerId;
  }

  public boolean shared() {
    return ownerId == null;
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  public String model() {
    return model;
  }

  public String systemPrompt() {
    return systemPrompt;
  }

  public Double temperature() {
    return temperature;
  }

  public Integer maxTokens() {
    return maxTokens;
  }

  public String greeting() {
    return greeting;
  }

  public List<String> suggestions() {
    return suggestions == null ? List.of() : Arrays.asList(suggestions.split("\n"));
  }

  public boolean everyone() {
    return everyone;
  }

  public Set<Long> groups() {
    return Set.copyOf(groups);
  }

  public OffsetDateTime createdAt() {
    return createdAt;
  }

  public OffsetDateTime updatedAt() {
    return updatedAt;
  }
}
