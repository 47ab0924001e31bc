package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The chat page in Chromium: streaming, stop, regenerate, edit, rendering, the sidebar. */
class ChatUiIT extends DeployedEar {

  @BeforeAll
  static void modelServer() {
    Platform.simulator();
  }

  @Test
  void aNewUserRegistersChatsWatchesTheReplyGrowThenStopsASecondReplyAndRegeneratesIt()
      throws Exception {
    assertEquals(
        200,
        Api.put(
                "v1/admin/settings/registration",
                TestAccounts.admin().accessToken(),
                "{\"value\":\"open\"}")
            .statusCode());
    String username = "newcomer" + UUID.randomUUID().toString().substring(0, 6);
    String password = "Lantern-" + UUID.randomUUID();
    try (Browser browser = new Browser()) {
      browser.open("/register.xhtml");
      browser.type(Browser.input("register:username"), username);
      browser.type(Browser.input("register:password"), password);
      browser.type(Browser.input("register:confirmation"), password);
      browser.driver.findElement(By.id("register:submit")).click();
      browser.logIn(username, password);
      var chat = new ChatPage(browser).ready().pick("demo");
      assertTrue(browser.driver.findElements(By.cssSelector("#conversations li")).isEmpty());

      chat.recordGrowth();
      chat.send("Hello there [sim tokens=12 gap-ms=150 ttft-ms=50]");
      assertEquals("complete", chat.awaitLastReply("complete", "failed"));
      List<Long> growth = chat.growth();
      assertTrue(growth.size() >= 3, "the reply appeared in " + growth + " steps");
      assertTrue(
          growth.stream().sorted().toList().equals(growth),
          "the reply shrank on the way: " + growth);
      // the new conversation is in the sidebar, titled after the question
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector("#conversations li.current .open"), "Hello there"));
      browser.screenshot("chat-desktop.png");

      chat.send("Tell me more [sim tokens=60 gap-ms=100]");
      browser.wait.until(driver -> !chat.lastReplyText().isEmpty());
      browser.driver.findElement(By.id("stop")).click();
      assertEquals("interrupted", chat.awaitLastReply("interrupted", "complete"));
      String partial = chat.lastReplyText();
      assertFalse(partial.isEmpty());
      assertTrue(browser.driver.findElement(By.id("send")).isDisplayed(), "send is back");

      chat.lastReply().findElement(By.cssSelector(".regenerate")).click();
      browser.wait.until(
          driver -> "streaming".equals(chat.lastReply().getAttribute("data-status")));
      assertEquals("complete", chat.awaitLastReply("complete", "failed"));
      assertTrue(chat.lastReplyText().length() > partial.length(), chat.lastReplyText());
      assertEquals(2, chat.replies().size(), "the stopped reply was replaced, not kept beside");
      assertEquals(List.of(), browser.cspViolations());

      // what the page showed is what is stored
      String token = TestAccounts.login(username, password).accessToken();
      long id = newestConversation(token);
      var messages =
          Json.object(Api.get("v1/conversations/" + id + "/messages", token).body())
              .getJsonArray("items");
      assertEquals(4, messages.size(), messages.toString());
      assertEquals("complete", messages.getJsonObject(3).getString("status"));
      assertEquals(chat.lastReplyText(), messages.getJsonObject(3).getString("content").trim());
    }
  }

  @Test
  void aNetworkBlipMidReplyIsBridgedAndThePageShowsTheWholeReply() throws Exception {
    var user = TestAccounts.user("blip");
    try (Browser browser = new Browser();
        CuttingProxy proxy = new CuttingProxy(Platform.APP)) {
      // the browser reaches the server through the proxy only
      browser.driver.get(proxy.url() + "/");
      browser.logIn(user.username(), user.password());
      var chat = new ChatPage(browser).ready().pick("demo");
      chat.send("Through a blip [sim tokens=40 gap-ms=50]");
      browser.wait.until(driver -> chat.lastReplyText().length() > 10);
      proxy.cut();
      assertEquals("complete", chat.awaitLastReply("complete", "failed", "interrupted"));
      assertTrue(chat.streamsTakenUp() >= 1, "the page took the stream up again");

      long id = newestConversation(user.accessToken());
      var stored = ConversationsIT.messages(user.accessToken(), id).get(1);
      assertEquals("complete", stored.getString("status"));
      assertEquals(stored.getString("content").trim(), chat.lastReplyText());
      assertTrue(chat.lastReplyText().length() > 100, chat.lastReplyText());
    }
  }

  @Test
  void aPageOpenedWhileItsReplyStreamsFollowsItLiveAndCanStopIt() throws Exception {
    var user = TestAccounts.user("reopen");
    try (Browser browser = new Browser()) {
      browser.open("/");
      browser.logIn(user.username(), user.password());
      var chat = new ChatPage(browser).ready().pick("demo");
      chat.send("Keep going [sim tokens=50 gap-ms=80]");
      browser.wait.until(driver -> chat.lastReplyText().length() > 10);

      // the page loaded again mid-reply: the reply goes on growing there, to its end
      browser.driver.navigate().refresh();
      chat.ready();
      assertEquals("streaming", chat.lastReply().getAttribute("data-status"));
      chat.recordGrowth();
      assertEquals("complete", chat.awaitLastReply("complete", "failed", "interrupted"));
      assertTrue(chat.growth().size() >= 2, "grew live after the reload: " + chat.growth());
      assertEquals(1, chat.streamsTakenUp(), "followed once, from its first event");
      long id = newestConversation(user.accessToken());
      var stored = ConversationsIT.messages(user.accessToken(), id).get(1);
      assertEquals(stored.getString("content").trim(), chat.lastReplyText());
      assertTrue(browser.driver.findElement(By.id("send")).isDisplayed(), "send is back");

      // a followed reply stops like one sent from this page
      chat.send("And again [sim tokens=80 gap-ms=80]");
      browser.wait.until(driver -> chat.lastReplyText().length() > 10);
      browser.driver.navigate().refresh();
      chat.ready();
      browser.wait.until(driver -> browser.driver.findElement(By.id("stop")).isDisplayed());
      browser.driver.findElement(By.id("stop")).click();
      assertEquals("interrupted", chat.awaitLastReply("interrupted", "complete"));
      var stopped = ConversationsIT.messages(user.accessToken(), id).get(3);
      assertEquals("interrupted", stopped.getString("status"));
      assertEquals(stopped.getString("content").trim(), chat.lastReplyText());
      assertTrue(browser.driver.findElement(By.id("send")).isDisplayed(), "send is back");
      assertEquals(List.of(), browser.cspViolations());
    }
  }

  @Test
  void aRefusedRegenerateShowsTheConversationAsItIsNowWithItsStreamingReply() throws Exception {
    var user = TestAccounts.user("refused");
    try (Browser browser = new Browser()) {
      browser.open("/");
      browser.logIn(user.username(), user.password());
      var chat = new ChatPage(browser).ready().pick("demo");
      chat.send("First [sim tokens=3]");
      assertEquals("complete", chat.awaitLastReply("complete", "failed"));
      long id = newestConversation(user.accessToken());

      // another client asks in the same conversation; the page does not know yet
      var elsewhere =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return Api.post(
                      "v1/conversations/" + id + "/messages",
                      user.accessToken(),
                      "{\"content\":\"From elsewhere [sim tokens=60 gap-ms=80]\"}");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      browser.wait.until(
          driver -> {
            try {
              var messages = ConversationsIT.messages(user.accessToken(), id);
              return messages.size() == 4
                  && "streaming".equals(messages.get(3).getString("status"));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });

      // regenerate is refused (a reply streams in the conversation): the page shows why, then
      // the conversation as it is now, and follows the reply streaming there to its end
      chat.lastReply().findElement(By.cssSelector(".regenerate")).click();
      browser.wait.until(
          driver -> {
            var banners = driver.findElements(By.id("chat-banner"));
            return !banners.isEmpty() && banners.get(0).isDisplayed();
          });
      browser.wait.until(driver -> chat.replies().size() == 2);
      assertEquals("complete", chat.awaitLastReply("complete", "failed", "interrupted"));
      assertEquals(1, chat.streamsTakenUp(), "the reply streaming there was followed");
      assertEquals(200, elsewhere.get().statusCode());
      var stored = ConversationsIT.messages(user.accessToken(), id).get(3);
      assertEquals(stored.getString("content").trim(), chat.lastReplyText());
      assertTrue(browser.driver.getCurrentUrl().endsWith("?c=" + id), "still this conversation");
    }
  }

  @Test
  void markdownCodeAndReasoningAreRenderedAndEditResendsTheQuestion() throws Exception {
    var user = TestAccounts.user("reader");
    String reply = "# Plan\n\n* one\n* **two**\n\n```java\nint answer = 42;\n```\n";
    try (Browser browser = new Browser()) {
      browser.open("/");
      browser.logIn(user.username(), user.password());
      var chat = new ChatPage(browser).ready().pick("demo");
      chat.send("Show code [sim reasoning-tokens=4 reply-b64=" + b64(reply) + "]");
      chat.awaitLastReply("complete");
      WebElement answer = chat.lastReply();
      assertEquals("Plan", answer.findElement(By.cssSelector(".content h1")).getText());
      assertEquals("two", answer.findElement(By.cssSelector(".content li strong")).getText());
      WebElement code = answer.findElement(By.cssSelector("pre.code-block code"));
      assertTrue(code.getAttribute("class").contains("hljs"), code.getAttribute("class"));
      assertTrue(
          !code.findElements(By.cssSelector("span[class^='hljs-']")).isEmpty(), "not highlighted");
      assertTrue(answer.findElement(By.cssSelector("pre .copy-code")).isDisplayed());
      // the typing cursor (on the part that was streaming) is gone once the reply is complete
      assertEquals(
          "none",
          browser.js(
              "return getComputedStyle(arguments[0].querySelector('.content > :last-child'),"
                  + " '::after').content",
              answer));
      WebElement reasoning = answer.findElement(By.cssSelector("details.reasoning"));
      assertTrue(reasoning.isDisplayed(), "reasoning hidden");
      assertEquals(null, reasoning.getAttribute("open"), "reasoning should start collapsed");
      reasoning.findElement(By.tagName("summary")).click();
      assertFalse(
          reasoning.findElement(By.className("reasoning-text")).getText().isBlank(),
          "no reasoning text");

      // edit and resend: the question is replaced and a new reply follows
      WebElement question =
          browser.driver.findElement(By.cssSelector("#message-list .message.user"));
      question.findElement(By.cssSelector(".edit")).click();
      WebElement box = question.findElement(By.cssSelector(".edit-box textarea"));
      box.clear();
      box.sendKeys("Say it again [sim tokens=3 gap-ms=5]");
      question.findElement(By.cssSelector(".save-edit")).click();
      chat.awaitLastReply("complete");
      var questions = browser.driver.findElements(By.cssSelector("#message-list .message.user"));
      assertEquals(1, questions.size());
      assertTrue(questions.get(0).getText().contains("Say it again"), questions.get(0).getText());
      assertEquals(1, chat.replies().size());
    }
  }

  @Test
  void theSidebarFiltersRenamesAndDeletesAndLongConversationsLoadOlderMessagesOnScroll()
      throws Exception {
    var user = TestAccounts.user("librarian");
    String token = user.accessToken();
    long history = SseClient.conversation(token, "demo");
    Api.call("PATCH", "v1/conversations/" + history, token, "{\"title\":\"Long history\"}");
    for (int i = 0; i < 20; i++) {
      String about = i == 0 ? " about 数据模型" : "";
      SseClient.send(
          token, history, "Turn " + i + about + " [sim tokens=1 gap-ms=1 ttft-ms=1]", null);
    }
    long other = SseClient.conversation(token, "demo");
    Api.call("PATCH", "v1/conversations/" + other, token, "{\"title\":\"Recipes\"}");

    try (Browser browser = new Browser()) {
      browser.open("/");
      browser.logIn(user.username(), user.password());
      new ChatPage(browser).ready();
      browser.wait.until(
          ExpectedConditions.numberOfElementsToBe(By.cssSelector("#conversations li"), 2));

      // a search hit opens its conversation at the message, loading the older page it is on
      browser.type(By.id("conversation-filter"), "数据模型");
      browser.wait.until(
          ExpectedConditions.numberOfElementsToBe(By.cssSelector("#search-hits li"), 1));
      assertEquals(
          "数据模型", browser.driver.findElement(By.cssSelector("#search-hits mark")).getText());
      browser.driver.findElement(By.cssSelector("#search-hits .open")).click();
      WebElement found =
          browser.wait.until(
              ExpectedConditions.presenceOfElementLocated(
                  By.cssSelector("#message-list .message.found")));
      assertTrue(found.getText().contains("Turn 0 about 数据模型"), found.getText());
      assertTrue(browser.driver.getCurrentUrl().contains("&m="), browser.driver.getCurrentUrl());

      browser.driver.findElement(By.id("conversation-filter")).clear();
      browser.type(By.id("conversation-filter"), "long");
      browser.wait.until(
          ExpectedConditions.numberOfElementsToBe(By.cssSelector("#conversations li"), 1));
      assertTrue(
          browser.driver.findElement(By.id("search-results")).isDisplayed(),
          "the search also looks in the messages, below the titles");
      browser.driver.findElement(By.cssSelector("#conversations li .open")).click();
      // the newest page first (30 of 40), the rest when the reader scrolls to the top
      browser.wait.until(
          ExpectedConditions.numberOfElementsToBe(By.cssSelector("#message-list .message"), 30));
      browser.js("document.getElementById('message-pane').scrollTop = 0;");
      browser.wait.until(
          ExpectedConditions.numberOfElementsToBe(By.cssSelector("#message-list .message"), 40));
      assertTrue(
          browser
              .driver
              .findElement(By.cssSelector("#message-list .message"))
              .getText()
              .contains("Turn 0"));

      browser.driver.findElement(By.id("conversation-filter")).clear();
      browser.type(By.id("conversation-filter"), "recipes");
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector("#conversations li .open"), "Recipes"));
      WebElement item = browser.driver.findElement(By.cssSelector("#conversations li"));
      browser.js("arguments[0].querySelector('.rename').click();", item);
      browser.type(By.id("rename-input"), "Dinner ideas");
      browser.driver.findElement(By.id("rename-ok")).click();
      browser.wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.cssSelector("#conversations li .open"), "Dinner ideas"));
      assertEquals(
          "Dinner ideas",
          Json.object(Api.get("v1/conversations/" + other, token).body()).getString("title"));

      item = browser.driver.findElement(By.cssSelector("#conversations li"));
      browser.js("arguments[0].querySelector('.delete').click();", item);
      browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-ok")));
      assertTrue(
          browser.driver.findElement(By.id("confirm-text")).getText().contains("Dinner ideas"));
      browser.driver.findElement(By.id("confirm-ok")).click();
      browser.wait.until(
          ExpectedConditions.numberOfElementsToBe(By.cssSelector("#conversations li"), 0));
      assertEquals(404, Api.get("v1/conversations/" + other, token).statusCode());
      assertEquals(200, Api.get("v1/conversations/" + history, token).statusCode());
    }
  }

  @Test
  void aFailedReplyShowsATranslatedErrorAndRetryAnswers() throws Exception {
    var user = TestAccounts.user("unlucky");
    String key = UUID.randomUUID().toString();
    try (Browser browser = new Browser("zh-CN")) {
      browser.open("/");
      browser.logIn(user.username(), user.password());
      var chat = new ChatPage(browser).ready().pick("demo");
      // three refusals: the first try and both retries of the relay
      chat.send("Hi [sim fault=http-500 fail-times=3 key=" + key + " tokens=3 gap-ms=5]");
      assertEquals("failed", chat.awaitLastReply("failed", "complete"));
      WebElement error = chat.lastReply().findElement(By.className("message-error"));
      assertTrue(error.isDisplayed());
      assertTrue(error.getText().contains("模型服务无法应答"), error.getText());

      error.findElement(By.className("retry")).click();
      assertEquals("complete", chat.awaitLastReply("complete", "failed"));
      assertFalse(chat.lastReply().findElement(By.className("message-error")).isDisplayed());
      assertEquals(1, chat.replies().size());
    }
  }

  @Test
  void chineseLabelsDarkThemeAndAPhoneWidth() throws Exception {
    var user = TestAccounts.user("wanderer");
    try (Browser browser = new Browser("zh-CN")) {
      browser.open("/");
      browser.logIn(user.username(), user.password());
      var chat = new ChatPage(browser).ready().pick("demo");
      assertEquals("发送", browser.driver.findElement(By.id("send")).getText().trim());
      assertTrue(browser.driver.findElement(By.id("new-conversation")).getText().contains("新对话"));
      assertEquals("对话", browser.driver.findElement(By.id("session:chat")).getText());
      assertEquals("输入消息", browser.driver.findElement(By.id("prompt")).getAttribute("placeholder"));
      chat.send("你好 [sim tokens=6 gap-ms=5]");
      chat.awaitLastReply("complete");

      String conversation = browser.driver.getCurrentUrl();
      assertTrue(conversation.contains("?c="), conversation);
      browser.js("window.llmchatMarker = 1;");
      browser.driver.findElement(By.id("language:dark")).click();
      // the same page again (a new page: the marker is gone), with its conversation
      browser.wait.until(driver -> browser.js("return window.llmchatMarker;") == null);
      assertEquals(conversation, browser.driver.getCurrentUrl());
      new ChatPage(browser).ready();
      assertTrue(
          browser.driver.findElement(By.tagName("body")).getAttribute("class").contains("dark"));
      String background =
          (String) browser.js("return getComputedStyle(document.body).backgroundColor;");
      assertEquals("rgb(23, 33, 47)", background, "the vela (dark) theme's surface");
      new ChatPage(browser).awaitLastReply("complete");
      browser.screenshot("chat-dark.png");

      // remembered: another page, still dark
      browser.open("/account/profile.xhtml");
      assertTrue(
          browser.driver.findElement(By.tagName("body")).getAttribute("class").contains("dark"));
      browser.driver.findElement(By.id("language:light")).click();
      // the switch posts, then the same page comes back by a redirect: wait for the new page
      browser.wait.until(
          ExpectedConditions.attributeContains(By.tagName("body"), "class", "light"));

      browser.resize(375, 812);
      browser.open("/");
      chat = new ChatPage(browser).ready();
      assertTrue(
          sidebarEdge(browser, "right") <= 0,
          "the conversation list should be out of the way on a phone");
      Long overflow =
          (Long) browser.js("return document.documentElement.scrollWidth - window.innerWidth;");
      assertTrue(overflow <= 0, "the page is wider than the phone by " + overflow + " px");
      // the top navigation is one line, its links in a menu: the conversation gets the screen
      Long topbar = (Long) browser.js("return document.querySelector('.topbar').offsetHeight;");
      assertTrue(topbar <= 56, "the top bar takes " + topbar + " px");
      assertFalse(browser.driver.findElement(By.id("session:chat")).isDisplayed());
      browser.driver.findElement(By.id("nav-toggle")).click();
      browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("session:keys")));
      browser.screenshot("chat-375-menu.png");
      browser.driver.findElement(By.id("nav-toggle")).click();
      browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("session:keys")));
      // the list slides in from the menu button, and out again once a conversation is picked
      browser.driver.findElement(By.id("toggle-sidebar")).click();
      browser.wait.until(driver -> sidebarEdge(browser, "left") == 0L);
      browser.screenshot("chat-375-conversations.png");
      browser.driver.findElement(By.cssSelector("#conversations li .open")).click();
      chat.awaitLastReply("complete");
      browser.wait.until(driver -> sidebarEdge(browser, "right") <= 0L);
      browser.screenshot("chat-375.png");
      assertEquals(List.of(), browser.cspViolations());
    }
  }

  /** Where the conversation list's left or right edge is on the screen, in pixels. */
  private static long sidebarEdge(Browser browser, String side) {
    return (Long)
        browser.js(
            "return Math.round(document.getElementById('sidebar').getBoundingClientRect()."
                + side
                + ");");
  }

  static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The id of the user's conversation with the newest activity. */
  private static long newestConversation(String token) throws Exception {
    return Json.object(Api.get("v1/conversations", token).body())
        .getJsonArray("items")
        .getJsonObject(0)
        .getJsonNumber("id")
        .longValue();
  }
}
