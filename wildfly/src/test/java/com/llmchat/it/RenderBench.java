package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A benchmark, not a test (its name keeps it out of the test run; {@code bin/llmchat bench
 * --render} runs it): in Chromium, a 20,000-token reply of markdown (headings, lists, code, tables,
 * over and over) streamed at 100 tokens per second, while the page records every task of its main
 * thread of 50 ms or more (the Long Tasks API) and the longest gap between two frames. The figures
 * go into docs/performance.md ({@code -Drender.bench.out}).
 */
class RenderBench extends DeployedEar {

  static final String START = "<!-- render-bench:start (written by bin/llmchat bench --render) -->";
  static final String END = "<!-- render-bench:end -->";

  @BeforeAll
  static void modelServer() {
    Platform.simulator();
  }

  @Test
  void aLongReplyStreamsWithoutLongTasks() throws Exception {
    int tokens = Integer.getInteger("render.bench.tokens", 20_000);
    var user = TestAccounts.user("reader-bench");
    try (Browser browser = new Browser()) {
      browser.open("/");
      browser.logIn(user.username(), user.password());
      var chat = new ChatPage(browser).ready().pick("demo");
      // the question typed before the measurement starts: WebDriver types it in one task (of
      // 60-110 ms of input handling), which no user's typing is and which is no part of rendering
      browser
          .driver
          .findElement(org.openqa.selenium.By.id("prompt"))
          .sendKeys(
              "Write a long answer [sim tokens=" + tokens + " gap-ms=10 ttft-ms=1 markdown=true]");
      browser.js(
          """
          window.__long = [];
          window.__started = performance.now();
          new PerformanceObserver((list) =>
              list.getEntries().forEach((e) => __long.push([e.startTime - __started, e.duration])))
            .observe({ type: "longtask" });
          // what the long frames spent their time on (Long Animation Frames: scripts, layout)
          window.__loaf = [];
          new PerformanceObserver((list) =>
              list.getEntries().filter((e) => e.duration >= 50).forEach((e) => {
                const end = e.startTime + e.duration;
                __loaf.push(((e.startTime - __started) / 1000).toFixed(1) + " s " + Math.round(e.duration)
                  + " ms (style and layout " + Math.round(e.styleAndLayoutStart ? end - e.styleAndLayoutStart : 0)
                  + " ms; scripts: " + e.scripts.map((x) => x.invoker + " " + (x.sourceFunctionName || "?")
                    + " " + Math.round(x.duration) + " ms").join(", ") + ")");
              }))
            .observe({ type: "long-animation-frame" });
          window.__gaps = [];
          let last = performance.now();
          (function frame(now) {
            window.__gaps.push(now - last);
            last = now;
            if (!window.__stop) requestAnimationFrame(frame);
          })(performance.now());
          """);
      // -Drender.bench.profile=FILE: a CPU profile of the page (DevTools' format) into FILE
      String profile = System.getProperty("render.bench.profile", "");
      var devTools = (org.openqa.selenium.chromium.ChromiumDriver) browser.driver;
      if (!profile.isBlank()) {
        devTools.executeCdpCommand("Profiler.enable", Map.of());
        devTools.executeCdpCommand("Profiler.setSamplingInterval", Map.of("interval", 250));
        devTools.executeCdpCommand("Profiler.start", Map.of());
      }
      long started = System.nanoTime();
      browser.driver.findElement(org.openqa.selenium.By.id("send")).click();
      new WebDriverWait(browser.driver, Duration.ofSeconds(tokens / 50 + 120))
          .pollingEvery(Duration.ofSeconds(1))
          .until(
              driver ->
                  !chat.replies().isEmpty()
                      && "complete".equals(chat.lastReply().getAttribute("data-status")));
      double seconds = (System.nanoTime() - started) / 1e9;
      if (!profile.isBlank()) {
        // a moment for the work after the last event (the reply stored, the list refreshed)
        Thread.sleep(2_000);
        @SuppressWarnings("unchecked")
        Object taken = devTools.executeCdpCommand("Profiler.stop", Map.of()).get("profile");
        Files.writeString(
            Path.of(profile),
            jakarta.json.Json.createObjectBuilder((Map<String, Object>) taken).build().toString(),
            StandardCharsets.UTF_8);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> figures =
          (Map<String, Object>)
              browser.js(
                  """
                  window.__stop = true;
                  const gaps = window.__gaps.slice(1).sort((a, b) => a - b);
                  const at = (q) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))];
                  return {
                    longTasks: window.__long.length,
                    longest: window.__long.length ? Math.max(...window.__long.map((t) => t[1])) : 0,
                    frames50: window.__loaf.join("; "),
                    when: window.__long.map((t) => (t[0] / 1000).toFixed(1) + " s: " + Math.round(t[1]) + " ms").join(", "),
                    frames: gaps.length,
                    gapP50: at(0.5), gapP99: at(0.99), gapMax: gaps[gaps.length - 1],
                    characters: document.querySelector("#message-list .message.assistant:last-child .content").textContent.length,
                    tables: document.querySelectorAll("#message-list .message.assistant:last-child table").length,
                    code: document.querySelectorAll("#message-list .message.assistant:last-child pre code.hljs").length
                  };
                  """);
      assertEquals(List.of(), browser.cspViolations());
      write(tokens, seconds, figures);
    }
  }

  private static void write(int tokens, double seconds, Map<String, Object> f) throws Exception {
    String section =
        "## The chat page rendering a long reply, measured "
            + ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))
            + " UTC\n\n"
            + String.format(
                Locale.ROOT,
                "Headless Chromium, a reply of %,d tokens (%,d characters rendered: %s tables, %s"
                    + " highlighted code blocks) streamed at 100 tokens/s in %.0f s, measured from the"
                    + " click on Send (the question typed before).\n\n"
                    + "| main-thread tasks ≥ 50 ms | longest | frames | gap between frames p50 |"
                    + " p99 | max |\n|---|---|---|---|---|---|\n"
                    + "| %s | %.0f ms | %s | %.1f ms | %.1f ms | %.0f ms |\n\n"
                    + "Target: the longest task < 50 ms. The long tasks (seconds after the"
                    + " message was sent: duration): %s. The frames of 50 ms or more: %s.\n\n",
                tokens,
                ((Number) f.get("characters")).longValue(),
                f.get("tables"),
                f.get("code"),
                seconds,
                f.get("longTasks"),
                ((Number) f.get("longest")).doubleValue(),
                f.get("frames"),
                ((Number) f.get("gapP50")).doubleValue(),
                ((Number) f.get("gapP99")).doubleValue(),
                ((Number) f.get("gapMax")).doubleValue(),
                f.get("when").toString().isEmpty() ? "none" : f.get("when"),
                f.get("frames50").toString().isEmpty() ? "none" : f.get("frames50"));
    System.out.println(section);
    String out = System.getProperty("render.bench.out");
    if (out == null || out.isBlank()) {
      return;
    }
    Path file = Path.of(out);
    String document = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    int start = document.indexOf(START);
    int end = document.indexOf(END);
    String updated =
        start < 0 || end < start
            ? document + "\n" + START + "\n" + section + END + "\n"
            : document.substring(0, start + START.length())
                + "\n"
                + section
                + document.substring(end);
    Files.writeString(file, updated, StandardCharsets.UTF_8);
  }
}
