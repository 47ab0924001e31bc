package com.llmchat.conversations.boundary;

import com.llmchat.conversations.control.TitlePrompt;
import com.llmchat.conversations.entity.Conversation;
import com.llmchat.conversations.entity.Message;
import com.llmchat.conversations.entity.MessageStatus;
import com.llmchat.providers.boundary.Completions;
import com.llmchat.providers.boundary.Models;
import com.llmchat.providers.boundary.ProviderException;
import com.llmchat.providers.control.StreamCancellation;
import com.llmchat.providers.entity.CompletionRequest;
import com.llmchat.providers.entity.CompletionResult;
import com.llmchat.providers.entity.Route;
import com.llmchat.providers.entity.StreamListener;
import com.llmchat.usage.control.LimitExceededException;
import com.llmchat.usage.control.Reservations;
import com.llmchat.usage.control.TokenEstimator;
import com.llmchat.usage.control.UsageLedger;
import com.llmchat.usage.entity.UsageRecord;
import jakarta.annotation.Resource;
import jakarta.ejb.Asynchronous;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Names a conversation after its first complete reply: the conversation's model (or the one {@code
 * llmchat.titles.model} names, when the user may use it) is asked for a short title in the language
 * of the question, apart from the reply and after it. Its tokens are the user's: reserved in the
 * budgets like any call (no title when they have no room) and recorded in the ledger with the
 * title, in one transaction. A title the user set meanwhile is never replaced.
 */
@Stateless
public class ConversationTitles {

  private static final Logger LOG = Logger.getLogger(ConversationTitles.class.getName());

  /** The most tokens a title takes; room for a short reasoning first. */
  static final int MAX_TOKENS = 200;

  @PersistenceContext EntityManager em;
  @Resource SessionContext context;
  @Inject Completions completions;
  @Inject Models models;
  @Inject Reservations reservations;
  @Inject UsageLedger ledger;

  @Inject
  @ConfigProperty(name = "llmchat.titles.enabled", defaultValue = "true")
  boolean enabled;

  @Inject
  @ConfigProperty(name = "llmchat.titles.model")
  Optional<String> titleModel;

  /**
   * Whether a stored reply is followed by a title request: a plain check on the relay's path, so
   * that the replies of named conversations (nearly all) make no call into this bean.
   */
  public static boolean follows(Exchange exchange, Message stored) {
    return exchange.awaitsTitle()
        && stored != null
        && stored.status() == MessageStatus.COMPLETE
        && !stored.content().isBlank();
  }

  /** Asks for the title and stores it; whatever fails leaves the first message's title. */
  @Asynchronous
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public void name(Exchange exchange, String question, String reply) {
    if (!enabled) {
      return;
    }
    try {
      String model = model(exchange);
      List<Route> routes = models.routes(exchange.accountId(), model);
      var turns = TitlePrompt.turns(question, reply);
      int promptTokens =
          turns.stream().mapToInt(turn -> TokenEstimator.text(turn.content())).sum() + 8;
      Long reservation;
      try {
        reservation =
            reservations.reserve(
                new Reservations.Claim(
                    exchange.accountId(), null, null, () -> (long) promptTokens + MAX_TOKENS));
      } catch (LimitExceededException e) {
        LOG.fine(() -> "No title for conversation " + exchange.conversationId() + ": " + e);
        return;
      }
      var request = new CompletionRequest(model, turns, 0.3, MAX_TOKENS, routes, 0);
      CompletionResult result =
          completions.stream(request, StreamListener.NOBODY, new StreamCancellation());
      context
          .getBusinessObject(ConversationTitles.class)
          .store(exchange, model, promptTokens, reservation, result);
    } catch (ProviderException e) {
      LOG.fine(() -> "No title for conversation " + exchange.conversationId() + ": " + e);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "No title for conversation " + exchange.conversationId(), e);
    }
  }

  /**
   * The title with the call's ledger row and its reservation settled, in one transaction; the
   * conversation locked, so that a rename at the same moment wins or waits.
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public void store(
      Exchange exchange,
      String model,
      int promptTokens,
      Long reservation,
      CompletionResult result) {
    Conversation conversation =
        em.find(Conversation.class, exchange.conversationId(), LockModeType.PESSIMISTIC_WRITE);
    UsageRecord usage =
        ledger.record(
            UsageRecord.Subject.ofConversation(
                exchange.accountId(),
                exchange.username(),
                conversation == null ? null : conversation.id(),
                null,
                model,
                result.route()),
            promptTokens,
            result);
    reservations.settle(
        reservation, usage == null ? 0 : (long) usage.promptTokens() + usage.completionTokens());
    if (conversation != null && result.outcome() == CompletionResult.Outcome.COMPLETED) {
      conversation.nameByModel(TitlePrompt.title(result.assembly().content()));
    }
  }

  /** The configured title model when the user may use it, else the conversation's. */
  private String model(Exchange exchange) {
    String configured = titleModel.map(String::strip).orElse("");
    if (!configured.isEmpty()) {
      try {
        models.routes(exchange.accountId(), configured);
        return configured;
      } catch (ProviderException notAllowed) {
        LOG.fine(() -> "The title model " + configured + " is not the user's: " + notAllowed);
      }
    }
    return exchange.request().model();
  }
}
