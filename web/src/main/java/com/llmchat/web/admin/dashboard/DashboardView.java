package com.llmchat.web.admin.dashboard;

import com.llmchat.accounts.boundary.ApiKeys;
import com.llmchat.accounts.boundary.Groups;
import com.llmchat.accounts.entity.ApiKey;
import com.llmchat.accounts.entity.Group;
import com.llmchat.json.JsonFactory;
import com.llmchat.platform.boundary.Statistics;
import com.llmchat.platform.boundary.SystemStatus;
import com.llmchat.usage.boundary.Usage;
import com.llmchat.usage.boundary.UsageReport;
import com.llmchat.web.Messages;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * admin/dashboard.xhtml: the installation's state, and tokens per day, per model and per user for a
 * period (UTC days, as the ledger counts them).
 */
@Named
@ViewScoped
public class DashboardView implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final int TOP_USERS = 10;

  @Inject Usage usage;
  @Inject Groups groups;
  @Inject ApiKeys keys;
  @Inject SystemStatus status;
  @Inject Statistics statistics;
  @Inject Messages messages;

  private LocalDate from = LocalDate.now(ZoneOffset.UTC).minusDays(29);
  private LocalDate to = LocalDate.now(ZoneOffset.UTC);
  private UsageReport report;
  private SystemStatus.Summary summary;
  private Statistics.Snapshot live;
  private String checkedAt;
  private Long groupId;
  private Long keyId;

  public void show() {
    if (from == null || to == null || from.isAfter(to) || ChronoUnit.DAYS.between(from, to) > 366) {
      messages.error("admin.dashboard.range");
      return;
    }
    report = usage.report(from, to, TOP_USERS, new Usage.Filter(groupId, keyId));
  }

  /** Calls now, today's use, the administrators' providers' health (reloaded by "refresh"). */
  public Statistics.Snapshot getLive() {
    if (live == null) {
      refreshLive();
    }
    return live;
  }

  public void refreshLive() {
    live = statistics.now();
  }

  public UsageReport getReport() {
    if (report == null) {
      show();
    }
    return report;
  }

  /** Tokens per day, prompt and completion stacked (Chart.js configuration for p:chart). */
  public String getPerDay() {
    DateTimeFormatter days =
        DateTimeFormatter.ofLocalizedDate(FormatStyle.SHORT).withLocale(locale());
    return stackedBars(getReport().perDay(), day -> days.format(day), false);
  }

  public String getPerModel() {
    return stackedBars(getReport().perModel(), Function.identity(), true);
  }

  public String getPerUser() {
    return stackedBars(getReport().topUsers(), Function.identity(), true);
  }

  private <K> String stackedBars(
      Map<K, UsageReport.Tokens> sums, Function<K, String> label, boolean horizontal) {
    JsonArrayBuilder labels = JsonFactory.array();
    sums.keySet().forEach(key -> labels.add(label.apply(key)));
    var datasets =
        JsonFactory.array()
            .add(dataset("admin.dashboard.prompt", sums, UsageReport.Tokens::promptTokens))
            .add(dataset("admin.dashboard.completion", sums, UsageReport.Tokens::completionTokens));
    var stacked = JsonFactory.object().add("stacked", true);
    return JsonFactory.object()
        .add("type", "bar")
        .add("data", JsonFactory.object().add("labels", labels).add("datasets", datasets))
        .add(
            "options",
            JsonFactory.object()
                .add("indexAxis", horizontal ? "y" : "x")
                .add("locale", locale().toLanguageTag())
                .add("maintainAspectRatio", false)
                .add("animation", false)
                .add("scales", JsonFactory.object().add("x", stacked).add("y", stacked)))
        .build()
        .toString();
  }

  private <K> JsonObjectBuilder dataset(
      String labelKey, Map<K, UsageReport.Tokens> sums, ToLongFunction<UsageReport.Tokens> part) {
    JsonArrayBuilder data = JsonFactory.array();
    sums.values().forEach(tokens -> data.add(part.applyAsLong(tokens)));
    return JsonFactory.object().add("label", messages.text(labelKey)).add("data", data);
  }

  public List<Map.Entry<String, UsageReport.Tokens>> getTopUsers() {
    return List.copyOf(getReport().topUsers().entrySet());
  }

  public List<Map.Entry<String, UsageReport.Tokens>> getModels() {
    return List.copyOf(getReport().perModel().entrySet());
  }

  public void check() {
    summary = status.summary();
    checkedAt = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  public SystemStatus.Summary getSummary() {
    if (summary == null) {
      summary = status.summary();
    }
    return summary;
  }

  /** The database product, shown after an explicit check. */
  public String getDatabase() {
    return checkedAt == null ? null : getSummary().databaseProduct();
  }

  public String getCheckedAt() {
    return checkedAt;
  }

  private static Locale locale() {
    return FacesContext.getCurrentInstance().getViewRoot().getLocale();
  }

  /** The groups to filter by. */
  public List<Group> getGroups() {
    return groups.list().stream().map(Groups.Summary::group).toList();
  }

  /** The newest keys to filter by. */
  public List<ApiKey> getKeys() {
    return keys.all(null, 200);
  }

  public Long getGroupId() {
    return groupId;
  }

  public void setGroupId(Long groupId) {
    this.groupId = groupId;
  }

  public Long getKeyId() {
    return keyId;
  }

  public void setKeyId(Long keyId) {
    this.keyId = keyId;
  }

  public LocalDate getFrom() {
    return from;
  }

  public void setFrom(LocalDate from) {
    this.from = from;
  }

  public LocalDate getTo() {
    return to;
  }

  public void setTo(LocalDate to) {
    this.to = to;
  }
}
