package com.llmchat.gateway.boundary;

import com.llmchat.accounts.control.AccessRefusedException;
import com.llmchat.accounts.control.Caller;
import com.llmchat.accounts.control.Callers;
import com.llmchat.providers.boundary.Completions;
import com.llmchat.providers.boundary.Models;
import com.llmchat.providers.boundary.ProviderException;
import com.llmchat.providers.boundary.UpstreamAnswer;
import com.llmchat.providers.control.StreamCancellation;
import com.llmchat.providers.entity.CompletionRequest;
import com.llmchat.providers.entity.CompletionResult;
import com.llmchat.providers.entity.ModelKind;
import com.llmchat.providers.entity.Route;
import com.llmchat.providers.entity.StreamListener;
import com.llmchat.providers.entity.UpstreamCall;
import com.llmchat.usage.boundary.Usage;
import com.llmchat.usage.control.Reservations;
import com.llmchat.usage.control.TokenEstimator;
import com.llmchat.usage.entity.UsageRecord;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * An application's chat completion or embeddings through {@code /v1}: resolved in its request (the
 * key's owner, the model the key may use, its routes), opened on the first route that answers, its
 * answer passed on as it came and accounted once — to the key and its owner, with the upstream's
 * token counts or, when it reported none, an estimate of what was sent and what was generated. A
 * singleton without container locks and without a transaction: the calls are long and many.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Gateway {

  private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

  @Inject Caller caller;
  @Inject Callers callers;
  @Inject Models models;
  @Inject Completions completions;
  @Inject Usage usage;
  @Inject Reservations reservations;

  /** Reserved for a reply when the request does not limit its tokens. */
  @Inject
  @ConfigProperty(name = "llmchat.budget.reply-tokens", defaultValue = "4096")
  long defaultReplyTokens;

  /**
   * One application call: who makes it with which key, the model, the request as it came, and what
   * is asked of the model server.
   */
  public record Call(
      long accountId,
      String username,
      long keyId,
      String model,
      JsonObject request,
      UpstreamCall upstreamCall,
      List<Route> routes,
      long receivedNanos,
      Long reservationId,
      AtomicBoolean settled) {

    public boolean streams() {
      return upstreamCall.streamed();
    }
  }

  /**
   * The caller's chat completion with {@code model}, in the request that the key authenticated. A
   * model the key may not use, or its owner does not have, is {@link
   * ProviderException.Reason#UNKNOWN_MODEL}; an embedding model {@link
   * ProviderException.Reason#INVALID}.
   */
  public Call chat(String model, JsonObject request) {
    return call(
        model,
        request,
        ModelKind.CHAT,
        request.get("stream") == JsonValue.TRUE
            ? UpstreamCall.STREAMED_CHAT
            : UpstreamCall.WHOLE_CHAT);
  }

  /** The caller's embeddings with {@code model}, as {@link #chat} for an embedding model. */
  public Call embeddings(String model, JsonObject request) {
    return call(model, request, ModelKind.EMBEDDING, UpstreamCall.EMBEDDINGS);
  }

  private Call call(String model, JsonObject request, ModelKind kind, UpstreamCall upstreamCall) {
    long keyId = caller.keyId().orElseThrow(() -> new AccessRefusedException(false, "no API key"));
    Callers.Identity who = callers.identity();
    if (!caller.keyAllows(model)) {
      throw new ProviderException(
          ProviderException.Reason.UNKNOWN_MODEL, "Unknown model: " + model);
    }
    ModelKind found = models.kind(who.accountId(), model);
    if (found != kind) {
      throw new ProviderException(
          ProviderException.Reason.INVALID,
          found == ModelKind.EMBEDDING
              ? model + " is an embedding model: use it with /v1/embeddings"
              : model + " is a chat model: use it with /v1/chat/completions");
    }
    List<Route> routes = models.routes(who.accountId(), model);
    // the prompt and the reply's most tokens held in the budgets that apply, or refused here
    Long reservation =
        reservations.reserve(
            new Reservations.Claim(
                who.accountId(),
                keyId,
                null,
                () -> estimatePrompt(request) + replyTokens(request, kind)));
    return new Call(
        who.accountId(),
        who.username(),
        keyId,
        model,
        request,
        upstreamCall,
        routes,
        who.receivedNanos(),
        reservation,
        new AtomicBoolean(reservation == null));
  }

  /** The most tokens the reply may take: as the request limits them, else the configured cap. */
  private long replyTokens(JsonObject request, ModelKind kind) {
    if (kind == ModelKind.EMBEDDING) {
      return 0;
    }
    for (String limit : List.of("max_completion_tokens", "max_tokens")) {
      if (request.get(limit) instanceof jakarta.json.JsonNumber tokens && tokens.longValue() > 0) {
        return tokens.longValue();
      }
    }
    return defaultReplyTokens;
  }

  /**
   * Gives the call's reservation back unused if nothing settled it (the call never reached a model
   * server, or failed on the way); a call accounted already is left alone.
   */
  public void release(Call call) {
    if (call.settled().compareAndSet(false, true)) {
      try {
        usage.settle(call.reservationId(), 0);
      } catch (RuntimeException e) {
        // the sweep gives it back when it expires
        LOG.log(Level.WARNING, "The reservation of a /v1 call could not be given back", e);
      }
    }
  }

  /** The first answer of the call's routes (see {@link Completions#open}); close it. */
  public UpstreamAnswer open(Call call, StreamListener listener, StreamCancellation cancellation) {
    return completions.open(
        CompletionRequest.passedThrough(
            call.model(), call.request(), call.routes(), call.receivedNanos()),
        call.upstreamCall(),
        listener,
        cancellation);
  }

  /** Passes a streamed answer on to its end, then accounts it. */
  public CompletionResult relay(Call call, UpstreamAnswer answer) {
    CompletionResult result = completions.relay(answer);
    account(call, result);
    return result;
  }

  /** Reads a whole answer, then accounts it. */
  public Completions.Whole readWhole(Call call, UpstreamAnswer answer) {
    Completions.Whole whole = completions.readWhole(answer);
    account(call, whole.result());
    return whole;
  }

  /** The ledger row of a call that reached a model server; none for one that reached none. */
  private void account(Call call, CompletionResult result) {
    if (result.route() == null) {
      release(call);
      return;
    }
    // the estimate costs a tokenizer pass over the prompt: only when the upstream counted nothing
    int estimatedPrompt = result.assembly().usage() == null ? estimatePrompt(call.request()) : 0;
    var subject =
        new UsageRecord.Subject(
            call.accountId(),
            call.username(),
            call.keyId(),
            null,
            null,
            call.model(),
            result.route().providerId(),
            result.route().providerName(),
            result.route().upstreamModel());
    try {
      // settled with the ledger row, once
      boolean settles = call.settled().compareAndSet(false, true);
      usage.record(subject, estimatedPrompt, result, settles ? call.reservationId() : null);
    } catch (RuntimeException e) {
      // the application has its answer; the database did not take the row
      LOG.log(
          Level.WARNING,
          "The usage of a /v1 call of "
              + call.username()
              + " ("
              + call.model()
              + ") could not be recorded",
          e);
    }
  }

  /**
   * The prompt's tokens as estimated: the text of its messages, parts included, and framing; of
   * embeddings, the text of their input.
   */
  static int estimatePrompt(JsonObject request) {
    JsonValue input = request.get("input");
    if (input instanceof JsonString text) {
      return TokenEstimator.text(text.getString());
    }
    if (input instanceof jakarta.json.JsonArray inputs) {
      int tokens = 0;
      for (JsonValue item : inputs) {
        // a string each, or token ids already (counted as they are)
        tokens +=
            item instanceof JsonString text
                ? TokenEstimator.text(text.getString())
                : item instanceof jakarta.json.JsonArray ids ? ids.size() : 1;
      }
      return tokens;
    }
    int tokens = 0;
    if (request.get("messages") instanceof jakarta.json.JsonArray messages) {
      for (JsonValue message : messages) {
        if (message instanceof JsonObject m) {
          tokens += TokenEstimator.message(TokenEstimator.text(text(m.get("content"))));
        }
      }
    }
    return TokenEstimator.prompt(tokens);
  }

  /** The text of a message's content: a string, or its text parts. */
  private static String text(JsonValue content) {
    if (content instanceof JsonString string) {
      return string.getString();
    }
    if (content instanceof jakarta.json.JsonArray parts) {
      var text = new StringBuilder();
      for (JsonValue part : parts) {
        if (part instanceof JsonObject typed && typed.get("text") instanceof JsonString piece) {
          text.append(piece.getString()).append('\n');
        }
      }
      return text.toString();
    }
    return "";
  }
}
