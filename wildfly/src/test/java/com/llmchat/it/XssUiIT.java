package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Model output is untrusted: a reply full of script tricks is shown as text and links, and no
 * script runs. The sanitizer is tested on its own (the flag would be set even without the
 * Content-Security-Policy: the payloads also check that no dangerous element or attribute reaches
 * the DOM), and the policy is checked as a header.
 */
class XssUiIT extends DeployedEar {

  private static final String PAYLOAD =
      String.join(
          "\n\n",
          "Before the tricks.",
          "<img src=x onerror=\"window.pwned='img'\">",
          "<script>window.pwned='script'</script>",
          "[plain js](javascript:window.pwned='link')",
          "[encoded js](jav&#x61;script:window.pwned='entity')",
          "[angle js](<javascript:window.pwned='angle'>)",
          "[data link](data:text/html;base64,PHNjcmlwdD53aW5kb3cucHduZWQ9J2RhdGEnPC9zY3JpcHQ+)",
          "<a href=\"javascript:window.pwned='anchor'\">anchor</a>",
          "<svg onload=\"window.pwned='svg'\"><circle r=\"4\"/></svg>",
          "<iframe src=\"javascript:window.pwned='iframe'\"></iframe>",
          "<details open ontoggle=\"window.pwned='details'\"><summary>s</summary>d</details>",
          "<math><mi xlink:href=\"javascript:window.pwned='math'\">m</mi></math>",
          "<form action=\"javascript:window.pwned='form'\"><button>go</button></form>",
          "![tracker](https://tracker.example/pixel.png \"t\")",
          "<div style=\"background:url(javascript:window.pwned='style')\">styled</div>",
          "[safe link](https://example.com/docs)",
          "After the tricks.");

  @BeforeAll
  static void modelServer() {
    Platform.simulator();
  }

  @Test
  void aHostileReplyRunsNoScriptAndLeavesNoDangerousMarkup() throws Exception {
    var user = TestAccounts.user("target");
    try (Browser browser = new Browser()) {
      browser.open("/");
      browser.logIn(user.username(), user.password());
      var chat = new ChatPage(browser).ready().pick("demo");
      // the question itself carries a payload too: user text is shown as text
      chat.send(
          "<img src=x onerror=\"window.pwned='question'\"> [sim tokens=40 gap-ms=2 reply-b64="
              + ChatUiIT.b64(PAYLOAD)
              + "]");
      assertEquals("complete", chat.awaitLastReply("complete", "failed"));
      // reload: the stored reply is rendered again from the API
      browser.driver.navigate().refresh();
      new ChatPage(browser).ready().awaitLastReply("complete");

      String text = chat.lastReplyText();
      assertTrue(text.contains("Before the tricks.") && text.contains("After the tricks."), text);
      assertEquals(null, browser.js("return window.pwned;"), "a payload ran");
      @SuppressWarnings("unchecked")
      List<String> dangerous =
          (List<String>)
              browser.js(
                  "const found = [];"
                      + "for (const el of document.querySelectorAll('#message-list *')) {"
                      + "  const tag = el.tagName.toLowerCase();"
                      + "  if (['script','img','svg','iframe','math','form','object','embed','style'].includes(tag))"
                      + "    found.push('element ' + tag);"
                      + "  for (const a of el.attributes) {"
                      + "    const v = a.value.trim().toLowerCase();"
                      + "    if (a.name.startsWith('on') || a.name === 'style' || a.name === 'srcdoc'"
                      + "        || v.startsWith('javascript:') || v.startsWith('data:'))"
                      + "      found.push(tag + ' ' + a.name + '=' + a.value);"
                      + "  }"
                      + "}"
                      + "return found;");
      assertEquals(List.of(), dangerous);
      // the question is shown literally
      assertTrue(
          browser
              .driver
              .findElement(By.cssSelector("#message-list .message.user .content"))
              .getText()
              .contains("<img src=x onerror="));
      // links that are safe stay links, opened apart from the page
      var safe = browser.driver.findElement(By.linkText("safe link"));
      assertEquals("https://example.com/docs", safe.getAttribute("href"));
      assertTrue(safe.getAttribute("rel").contains("noopener"));
      // the tricky ones are text without a target
      for (String name : List.of("plain js", "encoded js", "data link", "anchor")) {
        var links = browser.driver.findElements(By.linkText(name));
        assertTrue(
            links.isEmpty() || links.get(0).getAttribute("href") == null,
            name + " kept a link: " + (links.isEmpty() ? "" : links.get(0).getAttribute("href")));
      }
      // clicking whatever is left runs nothing either
      browser.js(
          "document.querySelectorAll('#message-list a, #message-list summary')"
              + ".forEach(a => { if (!a.href || !a.href.startsWith('http')) a.click(); });");
      assertEquals(null, browser.js("return window.pwned;"), "a click ran a payload");
    }
  }

  @Test
  void pagesCarryAContentSecurityPolicyWithoutInlineScripts() throws Exception {
    var response =
        Platform.HTTP.send(
            HttpRequest.newBuilder(URI.create(Platform.APP + "/login.xhtml")).build(),
            HttpResponse.BodyHandlers.ofString());
    String policy = response.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(policy.contains("script-src 'self' 'nonce-"), policy);
    String scripts = policy.substring(policy.indexOf("script-src"));
    assertFalse(scripts.contains("unsafe-inline"), policy);
    assertFalse(policy.contains("unsafe-eval"), policy);
    assertTrue(policy.contains("object-src 'none'"), policy);
    assertTrue(policy.contains("frame-ancestors 'self'"), policy);
  }
}
