package com.llmchat.conversations.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.llmchat.providers.entity.CompletionRequest.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextWindowTest {

  private static final String LONG = "word ".repeat(100);

  private final List<Turn> history =
      List.of(
          new Turn("system", "Be brief."),
          new Turn("user", LONG),
          new Turn("assistant", LONG),
          new Turn("user", LONG),
          new Turn("assistant", LONG),
          new Turn("user", "And now?"));

  @Test
  void withoutALimitEverythingIsSent() {
    assertEquals(history, ContextWindow.fit(history, null, null));
  }

  @Test
  void oldMessagesGoFirstAndTheSystemPromptAndNewestMessageStay() {
    List<Turn> fitted = ContextWindow.fit(history, 250, null);
    assertEquals("system", fitted.get(0).role());
    assertEquals("And now?", fitted.get(fitted.size() - 1).content());
    assertEquals("user", fitted.get(1).role(), "the history starts with a user message");
    assertEquals(4, fitted.size(), fitted.toString());
  }

  @Test
  void roomIsKeptForTheReply() {
    assertEquals(6, ContextWindow.fit(history, 800, null).size());
    assertEquals(4, ContextWindow.fit(history, 800, 500).size());
  }

  @Test
  void theNewestMessageIsSentEvenWhenItAloneIsTooLong() {
    List<Turn> fitted = ContextWindow.fit(history, 5, null);
    assertEquals(List.of(history.get(0), history.get(5)), fitted);
  }
}
