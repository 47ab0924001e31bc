package com.llmchat.conversations.boundary;

import com.llmchat.conversations.control.ActiveStreams;
import com.llmchat.conversations.entity.Message;
import com.llmchat.providers.boundary.Completions;
import com.llmchat.providers.control.CompletionAssembly;
import com.llmchat.providers.control.StreamCancellation;
import com.llmchat.providers.entity.CompletionResult;
import com.llmchat.providers.entity.StreamEvent;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.function.Predicate;

/**
 * Between a prepared exchange and the model: streams the reply to the listener, then has it stored.
 * A singleton without container locks, since streams are long and many: a pooled bean would cap
 * concurrent streams at the pool size.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class StreamRelay {

  @Inject Completions completions;
  @Inject Conversations conversations;
  @Inject ActiveStreams active;

  /** Blocks until the reply is stored; returns it as stored (null if its conversation went). */
  public Message relay(
      Exchange exchange, Predicate<StreamEvent> listener, StreamCancellation cancellation) {
    long replyId = exchange.reply().id();
    active.started(replyId, cancellation);
    try {
      CompletionResult result = completions.stream(exchange.request(), listener, cancellation);
      return conversations.finish(exchange, result);
    } finally {
      active.ended(replyId);
    }
  }

  /** Stores the reply as failed without calling the model (the server had no thread for it). */
  public Message refuse(Exchange exchange, StreamEvent.Error why) {
    var assembly = new CompletionAssembly();
    assembly.accept(why);
    return conversations.finish(
        exchange, new CompletionResult(CompletionResult.Outcome.FAILED, assembly, null, -1, 0));
  }
}
