package com.llmchat.providers.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A model users may pick, served by one provider. Users pick it by its alias; several providers
 * serving one alias back each other up, in the order of their priority.
 */
@Entity
@Table(name = "model")
@NamedQuery(
    name = Model.USABLE_BY,
    query =
        "select m from Model m join fetch m.provider p where m.enabled = true and p.enabled = true"
            // the account's own providers (:ownOwner is -1 when its groups do not allow them),
            // and the shared ones open to everybody or granted to one of its groups
            + " and (p.ownerId = :ownOwner or (p.ownerId is null and (not exists (select g from"
            + " ModelGrant g where g.alias = m.alias) or exists (select g from ModelGrant g,"
            + " Membership s where g.alias = m.alias"
            + " and s.groupId = g.groupId and s.accountId = :owner))))"
            + " order by m.alias, m.priority, m.id")
@NamedQuery(
    name = Model.SHARED_ALIAS_COUNT,
    query =
        "select count(m) from Model m join m.provider p where m.alias = :alias"
            + " and m.enabled = true and p.enabled = true and p.ownerId is null"
            + " and m.kind = com.llmchat.providers.entity.ModelKind.CHAT")
@NamedQuery(
    name = Model.SHARED,
    query =
        "select m from Model m join fetch m.provider p where p.ownerId is null"
            + " order by m.alias, m.priority, m.id")
@NamedQuery(
    name = Model.OF_PROVIDER,
    query = "select m from Model m where m.provider = :provider order by m.priority, m.alias")
public class Model {

  public static final String USABLE_BY = "Model.usableBy";
  public static final String OF_PROVIDER = "Model.ofProvider";
  public static final String SHARED = "Model.shared";
  public static final String SHARED_ALIAS_COUNT = "Model.sharedAliasCount";

  private static final Pattern ALIAS = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}._:/@-]{0,99}");

  @Id
  @SequenceGenerator(name = "model_seq", sequenceName = "model_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "model_seq")
  private Long id;

  @ManyToOne(fetch = FetchType.LAZY, optional = false)
  @JoinColumn(name = "provider_id", nullable = false, updatable = false)
  private Provider provider;

  @Column(name = "upstream_id", nullable = false, length = 200)
  private String upstreamId;

  @Column(nullable = false, length = 100)
  private String alias;

  @Column(name = "display_name", nullable = false, length = 100)
  private String displayName;

  @Column(nullable = false)
  private boolean enabled;

  private Double temperature;

  @Column(name = "max_tokens")
  private Integer maxTokens;

  @Column(name = "context_limit")
  private Integer contextLimit;

  @Column(nullable = false)
  private int priority;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 16)
  private ModelKind kind = ModelKind.CHAT;

  /** Whether it takes images (OpenAI {@code image_url} parts). */
  @Column(nullable = false)
  private boolean vision;

  @Column(name = "created_at", nullable = false, updatable = false)
  private OffsetDateTime createdAt;

  @Version private long version;

  protected Model() {}

  public Model(Provider provider, String upstreamId, String alias, String displayName) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.enabled = true;
    this.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
    describe(upstreamId, alias, displayName);
  }

  /** Sets what the provider calls it, what users pick it by, and what they see. */
  public void describe(String upstream, String newAlias, String display) {
    String up = Objects.requireNonNull(upstream, "upstream model id").strip();
    if (up.isEmpty() || up.length() > 200) {
      throw new IllegalArgumentException("The upstream model id has 1 to 200 characters");
    }
    String a = newAlias == null || newAlias.isBlank() ? up : newAlias.strip();
    if (!ALIAS.matcher(a).matches()) {
      throw new IllegalArgumentException(
          "A model alias has up to 100 letters, digits and . _ : / @ - (got '" + a + "')");
    }
    String shown = display == null || display.isBlank() ? a : display.strip();
    if (shown.length() > 100) {
      throw new IllegalArgumentException("A display name has at most 100 characters");
    }
    this.upstreamId = up;
    this.alias = a;
    this.displayName = shown;
  }

  /** Defaults for conversations that set none; null leaves the model server's own default. */
  public void defaults(Double newTemperature, Integer newMaxTokens, Integer newContextLimit) {
    if (newTemperature != null && (newTemperature < 0 || newTemperature > 2)) {
      throw new IllegalArgumentException("Temperature is between 0 and 2");
    }
    if (newMaxTokens != null && newMaxTokens < 1) {
      throw new IllegalArgumentException("Max tokens is at least 1");
    }
    if (newContextLimit != null && newContextLimit < 1) {
      throw new IllegalArgumentException("The context limit is at least 1 token");
    }
    this.temperature = newTemperature;
    this.maxTokens = newMaxTokens;
    this.contextLimit = newContextLimit;
  }

  public void kind(ModelKind newKind) {
    this.kind = Objects.requireNonNull(newKind, "kind");
  }

  public ModelKind kind() {
    return kind;
  }

  /** Marks whether it takes images: only then are images attached to messages sent to it. */
  public void seesImages(boolean on) {
    this.vision = on;
  }

  public boolean vision() {
    return vision;
  }

  public void prioritize(int newPriority) {
    this.priority = newPriority;
  }

  public void enable(boolean on) {
    this.enabled = on;
  }

  public Long id() {
    return id;
  }

  public Provider provider() {
    return provider;
  }

  public String upstreamId() {
    return upstreamId;
  }

  public String alias() {
    return alias;
  }

  public String displayName() {
    return displayName;
  }

  public boolean enabled() {
    return enabled;
  }

  public Double temperature() {
    return temperature;
  }

  public Integer maxTokens() {
    return maxTokens;
  }

  public Integer contextLimit() {
    return contextLimit;
  }

  public int priority() {
    return priority;
  }
}
