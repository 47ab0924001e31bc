package com.llmchat.conversations.boundary;

import com.llmchat.accounts.control.Callers;
import com.llmchat.accounts.control.Callers.Identity;
import com.llmchat.conversations.boundary.ConversationException.Reason;
import com.llmchat.conversations.control.ActiveStreams;
import com.llmchat.conversations.control.ContextWindow;
import com.llmchat.conversations.entity.Conversation;
import com.llmchat.conversations.entity.Message;
import com.llmchat.conversations.entity.MessageStatus;
import com.llmchat.platform.control.Containing;
import com.llmchat.providers.boundary.Models;
import com.llmchat.providers.boundary.ProviderException;
import com.llmchat.providers.entity.CompletionRequest;
import com.llmchat.providers.entity.CompletionRequest.Turn;
import com.llmchat.providers.entity.CompletionResult;
import com.llmchat.providers.entity.Route;
import com.llmchat.usage.control.UsageLedger;
import com.llmchat.usage.entity.UsageRecord;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A user's conversations and messages. Every call finds only the caller's own conversations;
 * another user's id is "not found". Sends lock the conversation row, which makes them ordered and
 * idempotent per client message id.
 */
@Stateless
public class Conversations {

  public static final int MAX_PAGE = 200;

  /** A page of conversations, most recently active first, and the cursor of the next page. */
  public record Page(List<Conversation> items, String next) {}

  /** What a conversation is set to; null keeps the current value (an empty prompt clears it). */
  public record Changes(
      String title, String model, String systemPrompt, Double temperature, Integer maxTokens) {}

  @PersistenceContext EntityManager em;
  @Inject Callers callers;
  @Inject Models models;
  @Inject UsageLedger ledger;
  @Inject ActiveStreams active;

  /** How long a streaming reply is held by this server at a time (StreamLeases renews it). */
  @Inject
  @ConfigProperty(name = "llmchat.stream.lease-seconds", defaultValue = "60")
  long leaseSeconds;

  public Conversation create(Changes settings) {
    Identity account = callers.identity();
    String model = settings.model();
    if (model == null || !models.exists(account.accountId(), model)) {
      throw new ProviderException(
          ProviderException.Reason.UNKNOWN_MODEL, "Unknown model: " + model);
    }
    Conversation conversation;
    try {
      conversation = new Conversation(account.accountId(), settings.title(), model);
      conversation.configure(settings.systemPrompt(), settings.temperature(), settings.maxTokens());
    } catch (IllegalArgumentException e) {
      throw new ConversationException(Reason.INVALID, e.getMessage());
    }
    em.persist(conversation);
    em.flush();
    return conversation;
  }

  /**
   * The caller's conversations whose title contains {@code titleFilter} (any case), newest first.
   */
  public Page list(String titleFilter, String cursor, int limit) {
    Identity account = callers.identity();
    int size = Math.max(1, Math.min(limit, MAX_PAGE));
    var query =
        cursor == null
            ? em.createNamedQuery(Conversation.RECENT, Conversation.class)
            : em.createNamedQuery(Conversation.RECENT_BEFORE, Conversation.class)
                .setParameter("updated", PageCursor.instant(cursor))
                .setParameter("id", PageCursor.id(cursor));
    List<Conversation> found =
        query
            .setParameter("owner", account.accountId())
            .setParameter("title", Containing.pattern(titleFilter))
            .setMaxResults(size + 1)
            .getResultList();
    if (found.size() <= size) {
      return new Page(found, null);
    }
    Conversation last = found.get(size - 1);
    return new Page(found.subList(0, size), PageCursor.of(last.updatedAt(), last.id()));
  }

  public Conversation get(long id) {
    return owned(callers.identity(), id, false);
  }

  public Conversation update(long id, Changes changes) {
    Identity account = callers.identity();
    Conversation conversation = owned(account, id, false);
    try {
      if (changes.title() != null) {
        conversation.rename(changes.title());
      }
      if (changes.model() != null && !changes.model().equals(conversation.model())) {
        if (!models.exists(account.accountId(), changes.model())) {
          throw new ProviderException(
              ProviderException.Reason.UNKNOWN_MODEL, "Unknown model: " + changes.model());
        }
        conversation.switchModel(changes.model());
      }
      conversation.configure(
          changes.systemPrompt() == null ? conversation.systemPrompt() : changes.systemPrompt(),
          changes.temperature() == null ? conversation.temperature() : changes.temperature(),
          changes.maxTokens() == null ? conversation.maxTokens() : changes.maxTokens());
    } catch (IllegalArgumentException e) {
      throw new ConversationException(Reason.INVALID, e.getMessage());
    }
    conversation.touch();
    return conversation;
  }

  public void delete(long id) {
    Conversation conversation = owned(callers.identity(), id, true);
    em.remove(conversation);
  }

  /** The newest {@code limit} visible messages before a position (all when null), oldest first. */
  public List<Message> messages(long id, Integer before, int limit) {
    Conversation conversation = owned(callers.identity(), id, false);
    List<Message> newestFirst =
        em.createNamedQuery(Message.PAGE, Message.class)
            .setParameter("conversation", conversation.id())
            .setParameter("before", before == null ? Integer.MAX_VALUE : before)
            .setMaxResults(Math.max(1, Math.min(limit, MAX_PAGE)))
            .getResultList();
    List<Message> page = new ArrayList<>(newestFirst);
    java.util.Collections.reverse(page);
    return page;
  }

  public Message message(long conversationId, long messageId) {
    Conversation conversation = owned(callers.identity(), conversationId, false);
    return messageIn(conversation, messageId);
  }

  /**
   * Stores the user's message and an empty streaming reply, and returns what to ask the model. With
   * a client message id seen before, stores nothing and returns the earlier exchange.
   */
  public Exchange send(long id, String content, String clientMessageId) {
    Identity account = callers.identity();
    Conversation conversation = owned(account, id, true);
    Optional<Exchange> earlier = earlier(account, conversation, clientMessageId);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    List<Message> history = historyWithNoReplyStreaming(conversation);
    List<Route> routes = models.routes(account.accountId(), conversation.model());
    Message question = ask(conversation, content, clientMessageId, null);
    conversation.titleAfter(content);
    return answer(account, conversation, question, routes, history);
  }

  /** Asks again for the reply to a question: the reply and everything after it are replaced. */
  public Exchange regenerate(long id, long replyId) {
    Identity account = callers.identity();
    Conversation conversation = owned(account, id, true);
    Message reply = messageIn(conversation, replyId);
    if (reply.role() != Message.Role.ASSISTANT || reply.superseded() || reply.parentId() == null) {
      throw new ConversationException(
          Reason.NOT_REGENERABLE, "Only a current reply of the model can be regenerated");
    }
    List<Message> history = historyWithNoReplyStreaming(conversation);
    Message question = messageIn(conversation, reply.parentId());
    List<Route> routes = models.routes(account.accountId(), conversation.model());
    supersedeFrom(history, reply.position());
    return answer(account, conversation, question, routes, history);
  }

  /** Replaces a question with an edited one: it and everything after are replaced. */
  public Exchange edit(long id, long questionId, String content, String clientMessageId) {
    Identity account = callers.identity();
    Conversation conversation = owned(account, id, true);
    Optional<Exchange> earlier = earlier(account, conversation, clientMessageId);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    Message original = messageIn(conversation, questionId);
    if (original.role() != Message.Role.USER || original.superseded()) {
      throw new ConversationException(
          Reason.NOT_EDITABLE, "Only a current message of yours can be edited");
    }
    List<Message> history = historyWithNoReplyStreaming(conversation);
    List<Route> routes = models.routes(account.accountId(), conversation.model());
    supersedeFrom(history, original.position());
    Message question = ask(conversation, content, clientMessageId, original.id());
    return answer(account, conversation, question, routes, history);
  }

  /** Stops the reply streaming for a message of the caller's; a finished one stays as it is. */
  public boolean stop(long id, long replyId) {
    Conversation conversation = owned(callers.identity(), id, false);
    Message reply = messageIn(conversation, replyId);
    return reply.isStreaming() && active.cancel(reply.id());
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
            new UsageRecord.Subject(
                exchange.accountId(),
                exchange.username(),
                reply == null ? null : exchange.conversationId(),
                reply == null ? null : reply.id(),
                exchange.request().model(),
                result.route() == null ? null : result.route().providerName(),
                result.route() == null ? null : result.route().upstreamModel()),
            exchange.promptTexts(),
            result);
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
              return new Exchange(
                  account.accountId(),
                  account.username(),
                  conversation.id(),
                  question,
                  reply,
                  new CompletionRequest(conversation.model(), List.of(), null, null, List.of(), 0),
                  List.of(),
                  true);
            });
  }

  private Message ask(
      Conversation conversation, String content, String clientMessageId, Long replaces) {
    Message question;
    try {
      question = Message.fromUser(conversation, content, clientMessageId, replaces);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConversationException(Reason.INVALID, e.getMessage());
    }
    em.persist(question);
    // written before its reply, which refers to it by a plain id EclipseLink cannot order by
    em.flush();
    return question;
  }

  /**
   * {@code history}: the conversation's current messages as read before the question was stored
   * (and before those it replaces were superseded); the question itself comes last.
   */
  private Exchange answer(
      Identity account,
      Conversation conversation,
      Message question,
      List<Route> routes,
      List<Message> history) {
    Message reply =
        Message.replyTo(
            conversation,
            question,
            conversation.model(),
            OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(leaseSeconds));
    em.persist(reply);
    em.flush();
    List<Turn> turns = new ArrayList<>();
    if (conversation.systemPrompt() != null) {
      turns.add(new Turn("system", conversation.systemPrompt()));
    }
    for (Message message : history) {
      if (message.position() >= question.position()) {
        break;
      }
      if (message.superseded()) {
        continue;
      }
      if (message.role() == Message.Role.USER) {
        turns.add(new Turn("user", message.content()));
      } else if (!message.content().isEmpty()) {
        turns.add(new Turn("assistant", message.content()));
      }
    }
    turns.add(new Turn("user", question.content()));
    // the first route's model sets the window: the one that answers unless it is down
    Route first = routes.get(0);
    turns =
        ContextWindow.fit(
            turns,
            first.contextLimit(),
            conversation.maxTokens() != null ? conversation.maxTokens() : first.maxTokens());
    return new Exchange(
        account.accountId(),
        account.username(),
        conversation.id(),
        question,
        reply,
        new CompletionRequest(
            conversation.model(),
            turns,
            conversation.temperature(),
            conversation.maxTokens(),
            routes,
            account.receivedNanos()),
        turns.stream().map(Turn::content).toList(),
        false);
  }

  private List<Message> thread(Conversation conversation) {
    return em.createNamedQuery(Message.THREAD, Message.class)
        .setParameter("conversation", conversation.id())
        .getResultList();
  }

  private static void supersedeFrom(List<Message> history, int position) {
    history.stream().filter(message -> message.position() >= position).forEach(Message::supersede);
  }

  /**
   * The conversation's current messages, in order, read under the conversation's lock; refused
   * while a reply streams. A streaming reply is always current and the newest message: nothing is
   * added or superseded while it streams.
   */
  private List<Message> historyWithNoReplyStreaming(Conversation conversation) {
    List<Message> history = thread(conversation);
    if (history.stream().anyMatch(Message::isStreaming)) {
      throw new ConversationException(
          Reason.REPLY_IN_PROGRESS, "A reply is still streaming in this conversation");
    }
    return history;
  }

  private Conversation owned(Identity account, long id, boolean forUpdate) {
    Conversation conversation =
        forUpdate
            ? em.find(Conversation.class, id, LockModeType.PESSIMISTIC_WRITE)
            : em.find(Conversation.class, id);
    if (conversation == null || !conversation.isOwnedBy(account.accountId())) {
      throw new ConversationException(Reason.CONVERSATION_NOT_FOUND, "No conversation " + id);
    }
    return conversation;
  }

  private Message messageIn(Conversation conversation, long messageId) {
    Message message = em.find(Message.class, messageId);
    if (message == null || message.conversationId() != conversation.id()) {
      throw new ConversationException(Reason.MESSAGE_NOT_FOUND, "No message " + messageId);
    }
    return message;
  }
}
