package com.llmchat.it;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The chat page (index.xhtml + chat.js) as a test drives it. */
final class ChatPage {

  private final Browser browser;

  ChatPage(Browser browser) {
    this.browser = browser;
  }

  /** Waits until chat.js has loaded the models and the conversation list. */
  ChatPage ready() {
    browser
        .waitSaying(() -> "chat page not ready: " + browser.driver.getCurrentUrl())
        .until(ExpectedConditions.attributeContains(By.id("chat"), "class", "ready"));
    return this;
  }

  /**
   * Picks the model new conversations use here (other tests add shared models, and the first in the
   * list may be one of theirs).
   */
  ChatPage pick(String model) {
    new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("model")))
        .selectByValue(model);
    return this;
  }

  /** Types a message and sends it; returns the reply element once it appears. */
  WebElement send(String text) {
    int replies = replies().size();
    WebElement prompt = browser.driver.findElement(By.id("prompt"));
    prompt.clear();
    prompt.sendKeys(text);
    browser.driver.findElement(By.id("send")).click();
    browser.wait.until(driver -> replies().size() > replies);
    return lastReply();
  }

  List<WebElement> replies() {
    return browser.driver.findElements(By.cssSelector("#message-list .message.assistant"));
  }

  WebElement lastReply() {
    List<WebElement> all = replies();
    return all.get(all.size() - 1);
  }

  /** Waits until the last reply is stored with one of these statuses; returns the one it has. */
  String awaitLastReply(String... statuses) {
    return browser
        .waitSaying(
            () ->
                "replies: "
                    + replies().stream().map(reply -> reply.getAttribute("data-status")).toList()
                    + " on "
                    + browser.driver.getCurrentUrl())
        .until(
            driver -> {
              List<WebElement> all = replies();
              String status =
                  all.isEmpty() ? null : all.get(all.size() - 1).getAttribute("data-status");
              return status != null && List.of(statuses).contains(status) ? status : null;
            });
  }

  /** How many times the page took a reply's stream up again (its requests to …/events). */
  int streamsTakenUp() {
    Object count =
        browser.js(
            "return performance.getEntriesByType('resource')"
                + ".filter(e => e.name.endsWith('/events')).length");
    return ((Number) count).intValue();
  }

  String lastReplyText() {
    return lastReply().findElement(By.className("content")).getText();
  }

  /**
   * Records the length of the last reply's rendered text at every change of the message list, so
   * that a test can count the steps a reader saw.
   */
  void recordGrowth() {
    browser.js(
        "window.replyLengths = [];"
            + "new MutationObserver(() => {"
            + "  const replies = document.querySelectorAll('#message-list .message.assistant');"
            + "  const last = replies[replies.length - 1];"
            + "  if (last) { window.replyLengths.push(last.querySelector('.content').textContent.length); }"
            + "}).observe(document.getElementById('message-list'),"
            + " {childList: true, subtree: true, characterData: true});");
  }

  /** The distinct non-empty lengths recorded, in order. */
  List<Long> growth() {
    @SuppressWarnings("unchecked")
    List<Long> lengths =
        (List<Long>) browser.js("return [...new Set(window.replyLengths.filter(n => n > 0))];");
    return lengths;
  }
}
