package com.llmchat.conversations.boundary;

import com.llmchat.conversations.control.ActiveStreams;
import com.llmchat.conversations.entity.Message;
import com.llmchat.providers.boundary.Completions;
import com.llmchat.providers.control.CompletionAssembly;
import com.llmchat.providers.control.StreamCancellation;
import com.llmchat.providers.entity.CompletionResult;
import com.llmchat.providers.entity.StreamEvent;
import com.llmchat.providers.entity.StreamListener;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Between a prepared exchange and the model: streams the reply to the listener, then has it stored.
 * When the database cannot take the reply (it went down meanwhile), the reply is kept and stored as
 * soon as the database is back, so the text and its ledger row are not lost and the conversation
 * takes new messages again. A singleton without container locks, since streams are long and many: a
 * pooled bean would cap concurrent streams at the pool size.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class StreamRelay {

  private static final Logger LOG = Logger.getLogger(StreamRelay.class.getName());

  @Inject Completions completions;
  @Inject Exchanges exchanges;
  @Inject ConversationTitles titles;
  @Inject ActiveStreams active;
  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "llmchat.stream.store-retry-seconds", defaultValue = "2")
  long retrySeconds;

  @Inject
  @ConfigProperty(name = "llmchat.stream.store-retry-minutes", defaultValue = "60")
  long retryMinutes;

  /** Blocks until the reply is stored; returns it as stored (null if its conversation went). */
  public Message relay(
      Exchange exchange, StreamListener listener, StreamCancellation cancellation) {
    long replyId = exchange.reply().id();
    active.started(replyId, cancellation);
    try {
      CompletionResult result;
      try {
        result = completions.stream(exchange.request(), listener, cancellation);
      } catch (RuntimeException unexpected) {
        // whatever went wrong, the reply ends failed rather than streaming for good
        LOG.log(Level.WARNING, "The relay of reply " + replyId + " failed", unexpected);
        var why = new StreamEvent.Error("The relay failed", "relay_failed");
        listener.event(why);
        result = failedWith(why);
      }
      Message stored;
      try {
        stored = exchanges.finish(exchange, result);
      } catch (RuntimeException e) {
        active.storing(replyId);
        storeLater(exchange, result, Instant.now().plus(Duration.ofMinutes(retryMinutes)));
        throw e;
      }
      if (ConversationTitles.follows(exchange, stored)) {
        try {
          titles.name(exchange, exchange.question().content(), stored.content());
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "No title for conversation " + exchange.conversationId(), e);
        }
      }
      return stored;
    } finally {
      active.ended(replyId);
    }
  }

  /** Tries again every few seconds until the reply is stored or the time is up. */
  private void storeLater(Exchange exchange, CompletionResult result, Instant giveUp) {
    scheduler.schedule(
        () -> {
          try {
            exchanges.finish(exchange, result);
            active.stored(exchange.reply().id());
            LOG.info(() -> "The reply " + exchange.reply().id() + " is stored after all");
          } catch (RuntimeException stillDown) {
            if (Instant.now().isBefore(giveUp)) {
              storeLater(exchange, result, giveUp);
            } else {
              // its lease runs out and a sweep marks it interrupted
              active.stored(exchange.reply().id());
              LOG.severe(() -> "The reply " + exchange.reply().id() + " could not be stored");
            }
          }
        },
        retrySeconds,
        TimeUnit.SECONDS);
  }

  /** Stores the reply as failed without calling the model (the server had no thread for it). */
  public Message refuse(Exchange exchange, StreamEvent.Error why) {
    return exchanges.finish(exchange, failedWith(why));
  }

  private static CompletionResult failedWith(StreamEvent.Error why) {
    var assembly = new CompletionAssembly();
    assembly.accept(why);
    return new CompletionResult(CompletionResult.Outcome.FAILED, assembly, null, -1, 0);
  }
}
