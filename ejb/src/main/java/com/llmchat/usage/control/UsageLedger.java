package com.llmchat.usage.control;

import com.llmchat.platform.control.Meters;
import com.llmchat.providers.control.CompletionAssembly;
import com.llmchat.providers.entity.CompletionResult;
import com.llmchat.providers.entity.Route;
import com.llmchat.providers.entity.StreamEvent;
import com.llmchat.usage.entity.UsageRecord;
import com.llmchat.usage.entity.UsageRecord.Source;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.concurrent.TimeUnit;

/**
 * Writes the ledger row of a completion in the caller's transaction (the one that stores the
 * reply): the upstream's counts when it sent them, else an estimate of what was sent and what came
 * back, which after a stop or hang-up is only what was generated.
 */
@ApplicationScoped
public class UsageLedger {

  @PersistenceContext EntityManager em;
  @Inject Meters meters;

  /**
   * Records the completion; nothing when no model server was reached. {@code estimatedPrompt}: the
   * prompt's tokens as estimated when it was made, used when the model server reports none.
   */
  public UsageRecord record(
      UsageRecord.Subject subject, int estimatedPrompt, CompletionResult done) {
    if (done.route() == null) {
      return null;
    }
    CompletionAssembly reply = done.assembly();
    StreamEvent.Usage reported = reply.usage();
    int promptTokens;
    int completionTokens;
    int reasoningTokens;
    Source source;
    if (reported != null && reported.completionTokens() + reported.promptTokens() > 0) {
      promptTokens = (int) reported.promptTokens();
      completionTokens = (int) reported.completionTokens();
      // completion_tokens_details.reasoning_tokens when reported, else an estimate
      reasoningTokens =
          reported.reasoningTokens() != null
              ? reported.reasoningTokens().intValue()
              : TokenEstimator.text(reply.reasoning());
      source = Source.UPSTREAM;
    } else {
      // a call that failed before the model gave anything, and counted nothing, costs nothing
      boolean nothingCameBack =
          done.outcome() == CompletionResult.Outcome.FAILED && !done.hasFirstToken();
      promptTokens = nothingCameBack ? 0 : estimatedPrompt;
      reasoningTokens = TokenEstimator.text(reply.reasoning());
      completionTokens = TokenEstimator.text(reply.content()) + reasoningTokens;
      source = Source.ESTIMATED;
    }
    var record =
        new UsageRecord(
            subject,
            new UsageRecord.Counts(
                promptTokens,
                completionTokens,
                reasoningTokens,
                source,
                done.outcome().name(),
                done.hasFirstToken()
                    ? (int) TimeUnit.NANOSECONDS.toMillis(done.firstTokenNanos())
                    : null,
                (int) TimeUnit.NANOSECONDS.toMillis(done.durationNanos())));
    em.persist(record);
    // a model only users' own providers serve has a name they chose: one series for all of them
    String model =
        done.route() == null ? "none" : done.route().shared() ? subject.model() : Route.OWN;
    meters.counter("llmchat.tokens", "direction", "in", "model", model).increment(promptTokens);
    meters
        .counter("llmchat.tokens", "direction", "out", "model", model)
        .increment(completionTokens);
    return record;
  }
}
