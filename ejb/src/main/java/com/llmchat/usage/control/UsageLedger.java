package com.llmchat.usage.control;

import com.llmchat.platform.control.Meters;
import com.llmchat.providers.control.CompletionAssembly;
import com.llmchat.providers.entity.CompletionResult;
import com.llmchat.providers.entity.Route;
import com.llmchat.providers.entity.StreamEvent;
import com.llmchat.usage.entity.UsageRecord;
import com.llmchat.usage.entity.UsageRecord.Source;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Writes the ledger row of a completion: the upstream's counts when it sent them, else an estimate
 * of what was sent and what came back, which after a stop or hang-up is only what was generated. A
 * chat reply's row goes in the caller's transaction (the one that stores the reply); an
 * application's call, which has no reply to store, writes its row and settles its reservation in
 * one statement that commits by itself.
 */
@ApplicationScoped
public class UsageLedger {

  /**
   * SQL: the reservation ?2 (if any, and not settled yet) settled to ?1 tokens with its holds
   * marked settled, and the ledger row written, in one statement: all or nothing. What {@link
   * Reservations#settle} does, for a call outside any transaction.
   */
  private static final String SETTLED_ROW =
      """
      with settled as (
        update reservation set used_tokens = cast(? as bigint)
        where id = cast(? as bigint) and used_tokens is null
        returning id
      ), marked as (
        update reservation_hold set settled = true
        where reservation_id in (select id from settled)
      )
      insert into usage_record (%s)
      values (nextval('usage_record_seq'), %s)
      """
          .formatted(
              UsageRecord.COLUMNS, String.join(", ", java.util.Collections.nCopies(18, "?")));

  @PersistenceContext EntityManager em;
  @Inject Meters meters;

  /**
   * The persistence unit's database; outside a transaction its connections commit each statement,
   * waiting for the commit to be durable (unlike the reservations' pool).
   */
  @Resource(lookup = "java:jboss/datasources/LLMChatDS")
  DataSource database;

  /**
   * Records the completion; nothing when no model server was reached. {@code estimatedPrompt}: the
   * prompt's tokens as estimated when it was made, used when the model server reports none.
   */
  public UsageRecord record(
      UsageRecord.Subject subject, int estimatedPrompt, CompletionResult done) {
    if (done.route() == null) {
      return null;
    }
    UsageRecord record = new UsageRecord(subject, counts(estimatedPrompt, done));
    em.persist(record);
    counted(subject, done, record);
    return record;
  }

  /**
   * Records an application's completion and settles its reservation ({@code reservationId}, null
   * for none) to the tokens recorded, in one statement that commits by itself: to be called outside
   * any transaction. Nothing when no model server was reached.
   */
  public UsageRecord recordSettled(
      UsageRecord.Subject subject, int estimatedPrompt, CompletionResult done, Long reservationId) {
    if (done.route() == null) {
      return null;
    }
    UsageRecord record = new UsageRecord(subject, counts(estimatedPrompt, done));
    Object[] values = record.values();
    try (Connection connection = database.getConnection();
        PreparedStatement statement = connection.prepareStatement(SETTLED_ROW)) {
      statement.setLong(1, (long) record.promptTokens() + record.completionTokens());
      statement.setObject(2, reservationId);
      for (int i = 0; i < values.length; i++) {
        statement.setObject(i + 3, values[i]);
      }
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new PersistenceException("The usage could not be recorded", e);
    }
    counted(subject, done, record);
    return record;
  }

  private static UsageRecord.Counts counts(int estimatedPrompt, CompletionResult done) {
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
    return new UsageRecord.Counts(
        promptTokens,
        completionTokens,
        reasoningTokens,
        source,
        done.outcome().name(),
        done.hasFirstToken() ? (int) TimeUnit.NANOSECONDS.toMillis(done.firstTokenNanos()) : null,
        (int) TimeUnit.NANOSECONDS.toMillis(done.durationNanos()));
  }

  private void counted(UsageRecord.Subject subject, CompletionResult done, UsageRecord record) {
    // a model only users' own providers serve has a name they chose: one series for all of them
    String model = done.route().shared() ? subject.model() : Route.OWN;
    meters
        .counter("llmchat.tokens", "direction", "in", "model", model)
        .increment(record.promptTokens());
    meters
        .counter("llmchat.tokens", "direction", "out", "model", model)
        .increment(record.completionTokens());
  }
}
