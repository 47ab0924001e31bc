package com.llmchat.conversations.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.llmchat.conversations.control.ContextWindow.Counted;
import com.llmchat.providers.entity.CompletionRequest.Turn;
import com.llmchat.usage.control.TokenEstimator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextWindowTest {

  private static final String LONG = "word ".repeat(100);

  private final List<Counted> history =
      List.of(
          counted("system", "Be brief."),
          counted("user", LONG),
          counted("assistant", LONG),
          counted("user", LONG),
          counted("assistant", LONG),
          counted("user", "And now?"));

  private static Counted counted(String role, String text) {
    return new Counted(new Turn(role, text), TokenEstimator.text(text));
  }

  private static List<Turn> turns(List<Counted> counted) {
    return counted.stream().map(Counted::turn).toList();
  }

  @Test
  void withoutALimitEverythingIsSent() {
    var fitted = ContextWindow.fit(history, null, null);
    assertEquals(turns(history), fitted.turns());
    int expected = 0;
    for (Counted turn : history) {
      expected += TokenEstimator.message(turn.tokens());
    }
    assertEquals(TokenEstimator.prompt(expected), fitted.promptTokens());
  }

  @Test
  void oldMessagesGoFirstAndTheSystemPromptAndNewestMessageStay() {
    List<Turn> fitted = ContextWindow.fit(history, 250, null).turns();
    assertEquals("system", fitted.get(0).role());
    assertEquals("And now?", fitted.get(fitted.size() - 1).content());
    assertEquals("user", fitted.get(1).role(), "the history starts with a user message");
    assertEquals(4, fitted.size(), fitted.toString());
  }

  @Test
  void roomIsKeptForTheReply() {
    assertEquals(6, ContextWindow.fit(history, 800, null).turns().size());
    assertEquals(4, ContextWindow.fit(history, 800, 500).turns().size());
  }

  @Test
  void theNewestMessageIsSentEvenWhenItAloneIsTooLong() {
    List<Turn> fitted = ContextWindow.fit(history, 5, null).turns();
    assertEquals(List.of(history.get(0).turn(), history.get(5).turn()), fitted);
  }

  @Test
  void aLongConversationKeepsTheNewestTurnsThatFit() {
    List<Counted> long_ = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      long_.add(new Counted(new Turn(i % 2 == 0 ? "user" : "assistant", "x"), 100));
    }
    long_.add(new Counted(new Turn("user", "last"), 1));
    var fitted = ContextWindow.fit(long_, 1_000, null);
    assertEquals("last", fitted.turns().get(fitted.turns().size() - 1).content());
    // 9 turns of 104 tokens (text and framing), the question's 5 and the reply's 3 fit in 1,000;
    // the oldest of the 9 is the model's, so it goes too
    assertEquals(9, fitted.turns().size(), fitted.turns().toString());
    assertEquals("user", fitted.turns().get(0).role());
    assertEquals(3 + 5 + 8 * 104, fitted.promptTokens());
  }
}
