package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Prometheus text on the management port, with the application's own meters. */
class MetricsIT extends DeployedEar {

  @Test
  void prometheusShowsApplicationServerAndPoolMeters() throws Exception {
    Platform.simulator();
    var chat = SseClient.chat(Tokens.user(), "demo", "Measure me [sim tokens=3 gap-ms=5]");
    assertEquals("done", chat.events().get(chat.events().size() - 1).name());

    HttpResponse<String> response = Platform.get(Platform.MANAGEMENT + "/prometheus", null);
    assertEquals(200, response.statusCode());
    // WildFly sends this endpoint without a Content-Type (Prometheus 3 scrapes then need
    // fallback_scrape_protocol: PrometheusText0.0.4); the body is the text exposition format
    String text = response.body();
    assertTrue(text.contains("# TYPE llmchat_chat_streams_total counter"), "not Prometheus text");
    assertTrue(
        text.matches(
            "(?s).*\\nllmchat_chat_streams_total\\{[^}]*outcome=\"completed\"[^}]*} [1-9].*"),
        "stream counter missing");
    assertTrue(
        text.contains("llmchat_chat_first_token_seconds_count"), "first-token timer missing");
    assertTrue(text.contains("datasources_pool_active_count{"), "datasource pool meters missing");
    // a number, this deployment's: every test class redeploys, and a gauge the previous deployment
    // left in the registry answered NaN (or its old value) until gauges were removed on undeploy
    assertTrue(
        text.matches("(?s).*\\nllmchat_chat_active_streams\\{[^}]*} [0-9].*"),
        "active streams gauge missing or not a number");
    assertTrue(
        text.matches(
            "(?s).*\\nllmchat_chat_first_token_le_total\\{[^}]*le=\"\\+Inf\"[^}]*} [1-9].*"),
        "first-token buckets missing (needed for a p95): "
            + text.lines().filter(line -> line.contains("first_token")).toList());
    assertTrue(
        text.matches("(?s).*\\nllmchat_tokens_total\\{[^}]*direction=\"out\"[^}]*} [1-9].*"),
        "tokens counter missing");
    assertTrue(
        text.contains("jvm_memory_used_bytes") || text.contains("memory_used_heap_bytes"),
        "JVM meters missing");
  }
}
