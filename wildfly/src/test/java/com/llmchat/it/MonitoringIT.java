package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the Grafana dashboard in docker/monitoring/ use only metrics a running server
 * exposes: a renamed meter would otherwise leave an alert that can never fire.
 */
class MonitoringIT extends DeployedEar {

  private static final Path MONITORING = Path.of("../docker/monitoring");

  /** A metric selector: a name right before its label matchers or range. */
  private static final Pattern SELECTOR =
      Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*[{\\[]");

  /** Series Prometheus makes itself for every target. */
  private static final Set<String> FROM_PROMETHEUS = Set.of("up");

  @Test
  void everyMetricInTheAlertsAndTheDashboardExistsOnARunningServer() throws Exception {
    // before any chat of this deployment: a fresh installation exports its meters at 0, so that
    // dashboards have data and rate() counts the first failure
    Set<String> fresh = exposed();
    for (String meter :
        List.of(
            "llmchat_chat_streams_total",
            "llmchat_chat_active_streams",
            "llmchat_chat_first_token_le_total",
            "llmchat_relay_before_upstream_le_total",
            "llmchat_relay_chunk_le_total",
            "llmchat_upstream_errors_total",
            "llmchat_limits_refused_total")) {
      assertTrue(fresh.contains(meter), meter + " is missing before the first chat: " + fresh);
    }
    Platform.simulator();
    // traffic that makes every meter appear: a reply, and a model server error that is retried
    SseClient.chat(Tokens.user(), "demo", "Measure [sim tokens=3 gap-ms=5]");
    SseClient.chat(
        Tokens.user(),
        "demo",
        "Fail once [sim tokens=3 gap-ms=5 fault=http-500 fail-times=1 key="
            + UUID.randomUUID()
            + "]");

    // a group's budget, which gets its utilisation gauge
    var group =
        Api.post(
            "v1/admin/groups",
            Tokens.admin(),
            "{\"name\":" + Api.q("measured-" + UUID.randomUUID().toString().substring(0, 6)) + "}");
    assertEquals(201, group.statusCode(), group.body());
    var budget =
        Api.post(
            "v1/admin/budgets",
            Tokens.admin(),
            "{\"holder\":\"GROUP\",\"holderId\":"
                + Json.object(group.body()).getJsonNumber("id")
                + ",\"period\":\"MONTH\",\"tokenLimit\":1000000}");
    assertEquals(201, budget.statusCode(), budget.body());

    List<String> expressions = new ArrayList<>(alertExpressions());
    int alerts = expressions.size();
    expressions.addAll(dashboardExpressions());
    assertTrue(alerts >= 5, "alert rules found: " + alerts);
    assertTrue(expressions.size() - alerts >= 8, "dashboard queries found: " + expressions);

    Set<String> used = new TreeSet<>();
    for (String expression : expressions) {
      Matcher matcher = SELECTOR.matcher(expression);
      while (matcher.find()) {
        used.add(matcher.group(1));
      }
    }
    used.removeAll(FROM_PROMETHEUS);
    assertTrue(used.size() >= 8, "metrics found in the files: " + used);

    Set<String> missing = new TreeSet<>(used);
    missing.removeAll(exposed());
    assertEquals(Set.of(), missing, "used in docker/monitoring but not exposed by the server");
  }

  /** The names of the metrics the server exposes now. */
  private static Set<String> exposed() throws Exception {
    Set<String> exposed = new TreeSet<>();
    Platform.get(Platform.MANAGEMENT + "/prometheus", null)
        .body()
        .lines()
        .filter(line -> !line.startsWith("#") && !line.isBlank())
        .forEach(line -> exposed.add(line.split("[{ ]", 2)[0]));
    return exposed;
  }

  /** The {@code expr} of every rule, also the multi-line ones ({@code expr: |}). */
  private static List<String> alertExpressions() throws Exception {
    List<String> found = new ArrayList<>();
    List<String> lines = Files.readAllLines(MONITORING.resolve("llmchat-alerts.yml"));
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int at = line.indexOf("expr:");
      if (at < 0) {
        continue;
      }
      String rest = line.substring(at + "expr:".length()).trim();
      if (!rest.equals("|")) {
        found.add(rest);
        continue;
      }
      StringBuilder block = new StringBuilder();
      while (i + 1 < lines.size() && indent(lines.get(i + 1)) > at) {
        block.append(lines.get(++i).trim()).append('\n');
      }
      found.add(block.toString());
    }
    return found;
  }

  private static int indent(String line) {
    int spaces = 0;
    while (spaces < line.length() && line.charAt(spaces) == ' ') {
      spaces++;
    }
    return line.isBlank() ? Integer.MAX_VALUE : spaces;
  }

  private static List<String> dashboardExpressions() throws Exception {
    JsonObject dashboard =
        Json.object(Files.readString(MONITORING.resolve("grafana/llmchat-dashboard.json")));
    List<String> found = new ArrayList<>();
    for (JsonValue panel : dashboard.getJsonArray("panels")) {
      for (JsonValue target : panel.asJsonObject().getJsonArray("targets")) {
        found.add(target.asJsonObject().getString("expr"));
      }
    }
    for (JsonValue variable : dashboard.getJsonObject("templating").getJsonArray("list")) {
      if ("query".equals(variable.asJsonObject().getString("type"))) {
        found.add(variable.asJsonObject().getString("query"));
      }
    }
    return found;
  }
}
