package com.llmchat.conversations.control;

import com.llmchat.providers.entity.CompletionRequest.Turn;
import com.llmchat.usage.control.TokenEstimator;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits a conversation into a model's context limit: the system prompt and the newest message always
 * stay; older messages are left out, oldest first, until the estimate fits with room for the reply.
 * Linear in the turns: each turn's tokens are counted once (stored with the message).
 */
public final class ContextWindow {

  private ContextWindow() {}

  /** A turn and the tokens of its text. */
  public record Counted(Turn turn, int tokens) {}

  /** What is sent: the turns kept, and the estimate of the prompt they make. */
  public record Fitted(List<Turn> turns, int promptTokens) {}

  /** The tokens of history the window may hold; null without a known limit (everything is sent). */
  public static Integer budget(Integer limit, Integer replyTokens) {
    return limit == null
        ? null
        : limit - (replyTokens == null ? 0 : Math.min(replyTokens, limit / 2));
  }

  /** {@code turns}: oldest first, the system prompt (if any) first, the question last. */
  public static Fitted fit(List<Counted> turns, Integer limit, Integer replyTokens) {
    Integer budget = budget(limit, replyTokens);
    int total = 0;
    for (Counted turn : turns) {
      total += TokenEstimator.message(turn.tokens());
    }
    boolean system = !turns.isEmpty() && turns.get(0).turn().role().equals("system");
    int first = system ? 1 : 0;
    int from = first;
    // the oldest go first while the prompt is over the budget; the question always stays
    while (budget != null && turns.size() - from > 1 && TokenEstimator.prompt(total) > budget) {
      total -= TokenEstimator.message(turns.get(from++).tokens());
    }
    // never begin the history with the model's own words
    while (turns.size() - from > 1 && turns.get(from).turn().role().equals("assistant")) {
      total -= TokenEstimator.message(turns.get(from++).tokens());
    }
    List<Turn> kept = new ArrayList<>(turns.size() - from + first);
    if (system) {
      kept.add(turns.get(0).turn());
    }
    for (int i = from; i < turns.size(); i++) {
      kept.add(turns.get(i).turn());
    }
    return new Fitted(kept, TokenEstimator.prompt(total));
  }
}
