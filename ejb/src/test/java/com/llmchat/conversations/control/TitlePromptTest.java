package com.llmchat.conversations.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TitlePromptTest {

  @Test
  void theModelSeesTheQuestionAndTheReplyWithoutDirectives() {
    var turns = TitlePrompt.turns("数据模型怎么更新 [sim tokens=3 gap-ms=1]", "x".repeat(5_000));
    assertEquals("system", turns.get(0).role());
    String quoted = turns.get(1).content();
    assertTrue(quoted.startsWith("User: 数据模型怎么更新\n"), quoted);
    assertFalse(quoted.contains("[sim"), quoted);
    assertTrue(quoted.length() < 3_400, "both quoted in part: " + quoted.length());
  }

  @Test
  void theTitleIsReadOutOfWhatModelsAnswer() {
    assertEquals("数据模型更新", TitlePrompt.title("标题：「数据模型更新」。"));
    assertEquals("Kubernetes restarts", TitlePrompt.title("Title: \"Kubernetes restarts.\"\n"));
    assertEquals(
        "Planning the migration",
        TitlePrompt.title(
            "<think>The user asks about a migration.</think>\n\n**Planning the migration**"));
    assertEquals("Hello there", TitlePrompt.title("Hello   there [sim tokens=2]"));
    assertEquals(TitlePrompt.MAX_TITLE, TitlePrompt.title("long ".repeat(40)).length());
  }

  @Test
  void anAnswerWithoutATitleGivesNone() {
    assertNull(TitlePrompt.title(null));
    assertNull(TitlePrompt.title("  \n \"\" "));
    assertNull(TitlePrompt.title("<think>still thinking when the tokens ran out"));
  }
}
