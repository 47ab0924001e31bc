package com.llmchat.conversations.control;

import com.llmchat.providers.entity.CompletionRequest.Turn;
import com.llmchat.usage.control.TokenEstimator;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits a conversation into a model's context limit: the system prompt and the newest message always
 * stay; older messages are left out, oldest first, until the estimate fits with room for the reply.
 */
public final class ContextWindow {

  private ContextWindow() {}

  /** {@code limit} null: no limit known, everything is sent. */
  public static List<Turn> fit(List<Turn> turns, Integer limit, Integer replyTokens) {
    if (limit == null || turns.size() <= 1) {
      return turns;
    }
    int budget = limit - (replyTokens == null ? 0 : Math.min(replyTokens, limit / 2));
    List<Turn> kept = new ArrayList<>(turns);
    boolean system = !kept.isEmpty() && kept.get(0).role().equals("system");
    int firstDroppable = system ? 1 : 0;
    while (kept.size() - firstDroppable > 1 && estimate(kept) > budget) {
      kept.remove(firstDroppable);
    }
    // never begin the history with the model's own words
    while (kept.size() - firstDroppable > 1
        && kept.get(firstDroppable).role().equals("assistant")) {
      kept.remove(firstDroppable);
    }
    return kept;
  }

  static int estimate(List<Turn> turns) {
    return TokenEstimator.prompt(turns.stream().map(Turn::content).toList());
  }
}
