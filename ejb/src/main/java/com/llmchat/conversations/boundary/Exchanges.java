package com.llmchat.conversations.boundary;

import com.llmchat.accounts.control.Callers;
import com.llmchat.accounts.control.Callers.Identity;
import com.llmchat.conversations.boundary.ConversationException.Reason;
import com.llmchat.conversations.control.ActiveStreams;
import com.llmchat.conversations.control.ContextWindow;
import com.llmchat.conversations.control.OwnedConversations;
import com.llmchat.conversations.control.Prompts;
import com.llmchat.conversations.control.StopReply;
import com.llmchat.conversations.entity.Attachment;
import com.llmchat.conversations.entity.Conversation;
import com.llmchat.conversations.entity.Message;
import com.llmchat.conversations.entity.MessageStatus;
import com.llmchat.platform.control.Cluster;
import com.llmchat.providers.boundary.Models;
import com.llmchat.providers.entity.CompletionRequest;
import com.llmchat.providers.entity.CompletionResult;
import com.llmchat.providers.entity.Route;
import com.llmchat.providers.entity.StreamEvent;
import com.llmchat.usage.control.LimitExceededException;
import com.llmchat.usage.control.Reservations;
import com.llmchat.usage.control.TokenEstimator;
import com.llmchat.usage.control.UsageLedger;
import com.llmchat.usage.entity.UsageRecord;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The exchanges of a conversation: a question stored with its empty streaming reply (sent, edited,
 * or asked again) and what to ask the model for it; then, once the reply has streamed, how it
 * ended, with its ledger row. One short transaction each, under the conversation's lock, which
 * makes sends ordered and idempotent per client message id; no transaction while the reply streams.
 */
@Stateless
public class Exchanges {

  /** Messages per read of the history, newest first. */
  private static final int HISTORY_PAGE = 100;

  /** How long a stop waits for the other servers of a cluster: the reply stops within 2 s. */
  private static final Duration STOP_WAIT = Duration.ofMillis(1_500);

  @PersistenceContext EntityManager em;
  @Inject Callers callers;
  @Inject OwnedConversations owned;
  @Inject Models models;
  @Inject UsageLedger ledger;
  @Inject Reservations reservations;

  /** Reserved for a reply when neither its conversation nor its model limits its tokens. */
  @Inject
  @ConfigProperty(name = "llmchat.budget.reply-tokens", defaultValue = "4096")
  long defaultReplyTokens;

  @Inject ActiveStreams active;
  @Inject Cluster cluster;
  @Inject Attachments attachments;

  /** How long a streaming reply is held by this server at a time (StreamLeases renews it). */
  @Inject
  @ConfigProperty(name = "llmchat.stream.lease-seconds", defaultValue = "60")
  long leaseSeconds;

  /**
   * Stores the user's message and an empty streaming reply, and returns what to ask the model. With
   * a client message id seen before, stores nothing and returns the earlier exchange. {@code
   * files}: files uploaded into the conversation before ({@link Attachments}).
   */
  public Exchange send(long id, String content, String clientMessageId, List<Long> files) {
    Identity account = callers.identity();
    Conversation conversation = owned.lock(account, id);
    Optional<Exchange> earlier = earlier(account, conversation, clientMessageId);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    List<Message> recent = recentWithNoReplyStreaming(conversation);
    List<Route> routes = models.routes(account.accountId(), conversation.model());
    List<Attachment> attached = attachments.waiting(conversation, files);
    Message question = ask(conversation, content, clientMessageId, null, !attached.isEmpty());
    attachments.sendWith(question, attached, null);
    conversation.titleAfter(content.isBlank() ? attached.get(0).name() : content);
    return answer(account, conversation, question, routes, recent);
  }

  /** Asks again for the reply to a question: the reply and everything after it are replaced. */
  public Exchange regenerate(long id, long replyId) {
    Identity account = callers.identity();
    Conversation conversation = owned.lock(account, id);
    Message reply = owned.message(conversation, replyId);
    if (reply.role() != Message.Role.ASSISTANT || reply.superseded() || reply.parentId() == null) {
      throw new ConversationException(
          Reason.NOT_REGENERABLE, "Only a current reply of the model can be regenerated");
    }
    List<Message> recent = recentWithNoReplyStreaming(conversation);
    Message question = owned.message(conversation, reply.parentId());
    List<Route> routes = models.routes(account.accountId(), conversation.model());
    supersedeFrom(conversation, reply.position());
    return answer(account, conversation, question, routes, recent);
  }

  /**
   * Replaces a question with an edited one: it and everything after are replaced. The edited
   * question keeps the files of the one it replaces, with {@code files} uploaded since.
   */
  public Exchange edit(
      long id, long questionId, String content, String clientMessageId, List<Long> files) {
    Identity account = callers.identity();
    Conversation conversation = owned.lock(account, id);
    Optional<Exchange> earlier = earlier(account, conversation, clientMessageId);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    Message original = owned.message(conversation, questionId);
    if (original.role() != Message.Role.USER || original.superseded()) {
      throw new ConversationException(
          Reason.NOT_EDITABLE, "Only a current message of yours can be edited");
    }
    List<Message> recent = recentWithNoReplyStreaming(conversation);
    List<Route> routes = models.routes(account.accountId(), conversation.model());
    List<Attachment> attached = attachments.waiting(conversation, files);
    supersedeFrom(conversation, original.position());
    Message question =
        ask(
            conversation,
            content,
            clientMessageId,
            original.id(),
            original.hasFiles() || !attached.isEmpty());
    attachments.sendWith(question, attached, original);
    return answer(account, conversation, question, routes, recent);
  }

  /** A reply of the caller's, as stored now: its stream is to be taken up again. */
  public Message reply(long id, long replyId) {
    Message reply = owned.message(owned.find(callers.identity(), id), replyId);
    if (reply.role() != Message.Role.ASSISTANT) {
      throw new ConversationException(
          Reason.NOT_RESUMABLE, "Only a reply of the model has a stream to take up again");
    }
    return reply;
  }

  /**
   * Stops the reply streaming for a message of the caller's, on this server or another of the
   * cluster; a finished one stays as it is.
   */
  public boolean stop(long id, long replyId) {
    Conversation conversation = owned.find(callers.identity(), id);
    Message reply = owned.message(conversation, replyId);
    return reply.isStreaming()
        && (active.cancel(reply.id())
            || cluster.askOthers(new StopReply(reply.id()), STOP_WAIT).contains(Boolean.TRUE));
  }

  /**
   * Stores how the stream ended, with its ledger row, in a transaction of its own: the reply is
   * complete, or interrupted with what arrived, or failed.
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public Message finish(Exchange exchange, CompletionResult result) {
    Message reply = em.find(Message.class, exchange.reply().id());
    if (reply != null && !reply.isStreaming()) {
      // stored already (a retry after a failure whose commit did go through)
      return reply;
    }
    var reportedError = result.assembly().error();
    String content = result.assembly().content();
    MessageStatus status =
        switch (result.outcome()) {
          case COMPLETED -> MessageStatus.COMPLETE;
          case CANCELLED -> MessageStatus.INTERRUPTED;
          case FAILED ->
              content == null && result.assembly().reasoning() == null
                  ? MessageStatus.FAILED
                  : MessageStatus.INTERRUPTED;
        };
    UsageRecord usage =
        ledger.record(
            UsageRecord.Subject.ofConversation(
                exchange.accountId(),
                exchange.username(),
                reply == null ? null : exchange.conversationId(),
                reply == null ? null : reply.id(),
                exchange.request().model(),
                result.route()),
            exchange.promptTokens(),
            result);
    // the reservation settles with the reply and its ledger row, or not at all
    reservations.settle(
        exchange.reservationId(),
        usage == null ? 0 : (long) usage.promptTokens() + usage.completionTokens());
    if (reply == null) {
      // the conversation was deleted while the reply streamed
      return null;
    }
    reply.complete(
        status,
        content,
        result.assembly().reasoning(),
        result.assembly().finishReason(),
        reportedError == null ? null : reportedError.message(),
        reportedError == null ? null : reportedError.code(),
        result.route() == null ? null : result.route().providerName());
    // counted once, for the prompts of the messages that follow
    reply.countTokens(TokenEstimator::text);
    reply.measure(
        usage == null ? null : usage.promptTokens(),
        usage == null ? null : usage.completionTokens(),
        result.hasFirstToken() ? (int) (result.firstTokenNanos() / 1_000_000) : null,
        (int) (result.durationNanos() / 1_000_000));
    Conversation conversation = em.find(Conversation.class, exchange.conversationId());
    if (conversation != null) {
      conversation.touch();
    }
    return reply;
  }

  /** The exchange of a message sent before with this client message id: a resend. */
  private Optional<Exchange> earlier(
      Identity account, Conversation conversation, String clientMessageId) {
    if (clientMessageId == null) {
      return Optional.empty();
    }
    return em.createNamedQuery(Message.BY_CLIENT_ID, Message.class)
        .setParameter("conversation", conversation.id())
        .setParameter("clientId", clientMessageId)
        .getResultStream()
        .findFirst()
        .map(
            question -> {
              Message reply =
                  em.createNamedQuery(Message.REPLY_TO, Message.class)
                      .setParameter("parent", question.id())
                      .setParameter("role", Message.Role.ASSISTANT)
                      .getResultStream()
                      .findFirst()
                      .orElseThrow(
                          () ->
                              new ConversationException(
                                  Reason.INVALID, "message " + question.id() + " has no reply"));
              if (reply.isStreaming()) {
                throw new ConversationException(
                    Reason.REPLY_IN_PROGRESS,
                    "This message was received already; its reply "
                        + reply.id()
                        + " is still streaming");
              }
              return Exchange.replay(account, conversation, question, reply);
            });
  }

  private Message ask(
      Conversation conversation,
      String content,
      String clientMessageId,
      Long replaces,
      boolean withFiles) {
    Message question;
    try {
      question = Message.fromUser(conversation, content, clientMessageId, replaces, withFiles);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConversationException(Reason.INVALID, e.getMessage());
    }
    question.countTokens(TokenEstimator::text);
    em.persist(question);
    // written before its reply, which refers to it by a plain id EclipseLink cannot order by
    em.flush();
    return question;
  }

  /**
   * Stores the empty streaming reply to the question; the prompt is made from {@code recent} (the
   * newest current messages, read before the question was stored) and as many older ones as the
   * model's window takes.
   */
  private Exchange answer(
      Identity account,
      Conversation conversation,
      Message question,
      List<Route> routes,
      List<Message> recent) {
    Message reply =
        Message.replyTo(
            conversation,
            question,
            conversation.model(),
            OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(leaseSeconds));
    em.persist(reply);
    em.flush();
    List<Message> history =
        window(
            conversation,
            recent,
            question.position(),
            Prompts.historyBudget(conversation, routes.get(0)));
    Map<Long, List<Attachment>> files = filesOf(history, question);
    if (files.getOrDefault(question.id(), List.of()).stream().anyMatch(Attachment::isImage)) {
      // images go to the providers of the model that take them, or nowhere
      routes = routes.stream().filter(Route::seesImages).toList();
      if (routes.isEmpty()) {
        throw Attachments.imagesRefused(conversation);
      }
    }
    Route answering = routes.get(0);
    requireRoomFor(question, conversation, answering);
    ContextWindow.Fitted prompt =
        Prompts.of(
            conversation,
            history,
            question,
            answering,
            files,
            routes.stream().allMatch(Route::seesImages));
    Exchange asked =
        Exchange.asked(
            account,
            conversation,
            question,
            reply,
            new CompletionRequest(
                conversation.model(),
                prompt.turns(),
                conversation.temperature(),
                conversation.maxTokens(),
                routes,
                account.receivedNanos()),
            prompt.promptTokens());
    return reserve(asked, conversation, answering);
  }

  /** The files of the question and of the history before it, for the prompt. */
  private Map<Long, List<Attachment>> filesOf(List<Message> history, Message question) {
    if (!question.hasFiles() && history.stream().noneMatch(Message::hasFiles)) {
      return Map.of();
    }
    List<Message> messages = new ArrayList<>();
    for (Message message : history) {
      if (message.position() < question.position() && !message.superseded()) {
        messages.add(message);
      }
    }
    messages.add(question);
    return attachments.withContent(messages);
  }

  /**
   * A question with files must fit the model's window by itself (with the system prompt and room
   * for the reply): the window keeps the question whole, so the model server would refuse it.
   */
  private static void requireRoomFor(Message question, Conversation conversation, Route answering) {
    Integer budget = Prompts.historyBudget(conversation, answering);
    if (!question.hasFiles() || budget == null) {
      return;
    }
    int tokens =
        TokenEstimator.prompt(
            TokenEstimator.message(Prompts.tokens(question))
                + (conversation.systemPrompt() == null
                    ? 0
                    : TokenEstimator.message(TokenEstimator.text(conversation.systemPrompt()))));
    if (tokens > budget) {
      throw new ConversationException(
          Reason.TOO_LARGE_FOR_MODEL,
          String.format(
              Locale.ROOT,
              "The message with its files is about %,d tokens; the context window of %s takes"
                  + " %,d with room for the reply. Send fewer or smaller files, or pick a model"
                  + " with a larger window.",
              tokens,
              conversation.model(),
              budget));
    }
  }

  /**
   * Reserves the prompt and the reply's most tokens in the budgets that apply (committed at once,
   * apart from the send), last in the send: a send that fails before leaves no reservation. A
   * refusal stores the reply failed with why (the question stays, to be sent again later) and asks
   * no model.
   */
  private Exchange reserve(Exchange asked, Conversation conversation, Route answering) {
    Integer replyTokens =
        conversation.maxTokens() != null ? conversation.maxTokens() : answering.maxTokens();
    long tokens =
        (long) asked.promptTokens() + (replyTokens != null ? replyTokens : defaultReplyTokens);
    try {
      return asked.reserved(
          reservations.reserve(
              new Reservations.Claim(asked.accountId(), null, asked.reply().id(), () -> tokens)));
    } catch (LimitExceededException e) {
      var why =
          new StreamEvent.Error(
              e.getMessage(), e.rateLimited() ? "rate_limited" : "quota_exceeded", e.resetsAt());
      asked
          .reply()
          .complete(MessageStatus.FAILED, null, null, null, why.message(), why.code(), null);
      return asked.refusedWith(why);
    }
  }

  /**
   * {@code recent} and older current messages, newest first, page by page until those before {@code
   * position} hold {@code budget} tokens (all of them without a budget).
   */
  private List<Message> window(
      Conversation conversation, List<Message> recent, int position, Integer budget) {
    List<Message> read = new ArrayList<>(recent);
    List<Message> page = recent;
    long tokens = tokensBefore(page, position);
    while (page.size() == HISTORY_PAGE && (budget == null || tokens < budget)) {
      page = current(conversation, page.get(page.size() - 1).position());
      tokens += tokensBefore(page, position);
      read.addAll(page);
    }
    return read;
  }

  private static long tokensBefore(List<Message> messages, int position) {
    long tokens = 0;
    for (Message message : messages) {
      if (message.position() < position) {
        tokens += Prompts.tokens(message);
      }
    }
    return tokens;
  }

  /** A page of the conversation's current messages before a position, newest first. */
  private List<Message> current(Conversation conversation, int before) {
    return em.createNamedQuery(Message.PAGE, Message.class)
        .setParameter("conversation", conversation.id())
        .setParameter("before", before)
        .setMaxResults(HISTORY_PAGE)
        .getResultList();
  }

  /**
   * Supersedes the current messages from a position on: what an edit or a regeneration replaces.
   */
  private void supersedeFrom(Conversation conversation, int position) {
    em.createNamedQuery(Message.CURRENT_FROM, Message.class)
        .setParameter("conversation", conversation.id())
        .setParameter("from", position)
        .getResultList()
        .forEach(Message::supersede);
  }

  /**
   * The conversation's newest current messages (a page, newest first), read under the
   * conversation's lock; refused while a reply streams. A streaming reply is always current and the
   * newest message: nothing is added or superseded while it streams.
   */
  private List<Message> recentWithNoReplyStreaming(Conversation conversation) {
    List<Message> recent = current(conversation, Integer.MAX_VALUE);
    if (!recent.isEmpty() && recent.get(0).isStreaming()) {
      throw new ConversationException(
          Reason.REPLY_IN_PROGRESS, "A reply is still streaming in this conversation");
    }
    return recent;
  }
}
