package com.llmchat.providers.boundary;

import com.llmchat.providers.control.CircuitBreakers;
import com.llmchat.providers.control.RelayMeters;
import com.llmchat.providers.control.ReplyTracker;
import com.llmchat.providers.control.StreamCancellation;
import com.llmchat.providers.control.StreamPipeline;
import com.llmchat.providers.control.UpstreamAddressPolicy.RefusedAddressException;
import com.llmchat.providers.control.UpstreamAddresses;
import com.llmchat.providers.control.UpstreamClients;
import com.llmchat.providers.control.UpstreamFailures;
import com.llmchat.providers.control.UpstreamHttpException;
import com.llmchat.providers.control.UpstreamRequests;
import com.llmchat.providers.control.UpstreamRetries;
import com.llmchat.providers.entity.CompletionRequest;
import com.llmchat.providers.entity.CompletionResult;
import com.llmchat.providers.entity.Provider;
import com.llmchat.providers.entity.Route;
import com.llmchat.providers.entity.StreamEvent;
import com.llmchat.providers.entity.StreamListener;
import com.llmchat.providers.entity.UpstreamCall;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.ws.rs.WebApplicationException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Completions from model servers: each route in turn until one answers (the address checked,
 * retries before the first byte, a circuit breaker per provider), then its answer streamed through
 * the {@link StreamPipeline} to a listener, or read whole. The conversation relay uses both steps
 * at once ({@link #stream}); {@code /v1} answers with an HTTP error when no route answers, so it
 * opens first ({@link #open}). No transaction and no database connection is held meanwhile. A
 * singleton without container locks: a pooled bean would cap concurrent streams at the pool size.
 * Started with the application, so that its meters exist (at 0) before the first chat.
 */
@Startup
@DependsOn({"SchemaMigrations", "PresetProvider"})
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Completions {

  private static final Logger LOG = Logger.getLogger(Completions.class.getName());

  @Inject UpstreamClients clients;
  @Inject UpstreamAddresses addresses;
  @Inject UpstreamRetries retries;
  @Inject CircuitBreakers breakers;
  @Inject UpstreamFailures failures;
  @Inject StreamPipeline pipeline;
  @Inject RelayMeters meters;

  @PersistenceContext EntityManager em;

  @PostConstruct
  void registerMeters() {
    meters.providers(em.createNamedQuery(Provider.SHARED_NAMES, String.class).getResultList());
  }

  /**
   * Blocks until the stream ends. The listener returns false when nobody listens any more, which
   * ends the upstream call.
   */
  public CompletionResult stream(
      CompletionRequest request, StreamListener listener, StreamCancellation cancellation) {
    try (UpstreamAnswer answer =
        open(request, UpstreamCall.STREAMED_CHAT, listener, cancellation)) {
      return relay(answer);
    }
  }

  /**
   * Asks each route in turn until a model server answers (the address checked, retries before the
   * first byte, a circuit breaker per provider): its answer, not yet read, or why none answered.
   * Close what it returns.
   */
  public UpstreamAnswer open(
      CompletionRequest request,
      UpstreamCall kind,
      StreamListener listener,
      StreamCancellation cancellation) {
    meters.streamStarted();
    try {
      return firstAnswer(
          request, kind, pipeline.tracker(listener, System.nanoTime()), cancellation);
    } catch (RuntimeException | Error unexpected) {
      // an answer ends the stream's count when closed; without one it ends here
      meters.streamEnded();
      throw unexpected;
    }
  }

  private UpstreamAnswer firstAnswer(
      CompletionRequest request,
      UpstreamCall kind,
      ReplyTracker tracker,
      StreamCancellation cancellation) {
    UpstreamAnswer.Refusal last =
        UpstreamAnswer.Refusal.of(
            new StreamEvent.Error("No model server serves " + request.model(), "no_route"));
    for (Route route : request.routes()) {
      if (cancellation.cancelled()) {
        break;
      }
      CircuitBreakers.Call call = breakers.attempt(route.providerId());
      if (call == null) {
        meters.error(route, "breaker-open", false);
        last =
            UpstreamAnswer.Refusal.of(
                new StreamEvent.Error(
                    route.providerName() + " failed repeatedly and is paused for a moment",
                    "provider_paused"));
        continue;
      }
      boolean handedOver = false;
      try {
        InetAddress address;
        try {
          // checked at every call: the name may resolve elsewhere since the provider was saved;
          // the client connects to the address checked, not to a second lookup's answer
          address = addresses.check(route);
        } catch (RefusedAddressException e) {
          meters.error(route, "refused-address", false);
          last =
              UpstreamAnswer.Refusal.of(
                  failures.failed(
                      route, "refused_address", "is at an address that is not allowed", e));
          continue;
        }
        // held until the answer has been read: a client evicted meanwhile closes after it
        UpstreamClients.Lease client = clients.lease(route, address);
        InputStream body;
        try {
          String json = UpstreamRequests.body(request, route, kind);
          if (route == request.routes().get(0) && request.receivedNanos() != 0) {
            meters.beforeUpstream(System.nanoTime() - request.receivedNanos());
          }
          body =
              retries.open(
                  () ->
                      switch (kind) {
                        case STREAMED_CHAT ->
                            client.client().streamCompletion(route.authorization(), json);
                        case WHOLE_CHAT -> client.client().complete(route.authorization(), json);
                        case EMBEDDINGS -> client.client().embeddings(route.authorization(), json);
                      },
                  cancellation,
                  (failure, willRetry) -> meters.error(route, failure, willRetry));
        } catch (WebApplicationException e) {
          client.close();
          int status = e.getResponse().getStatus();
          if (refusedTheRequest(status)) {
            // the server is well and said why the request will not do: callers sending bad
            // requests must not pause the provider for everybody
            call.succeeded();
          } else {
            call.failed();
          }
          if (status / 100 == 3) {
            meters.error(route, "redirect", false);
          }
          last =
              new UpstreamAnswer.Refusal(
                  failures.refused(route, e),
                  status,
                  e instanceof UpstreamHttpException answer ? answer.body() : null);
          continue;
        } catch (RuntimeException e) {
          client.close();
          call.failed();
          LOG.log(Level.FINE, "model server unreachable", e);
          last =
              UpstreamAnswer.Refusal.of(
                  failures.failed(route, UpstreamFailures.code(e), "cannot be reached", e));
          continue;
        }
        tracker.answeredBy(route);
        handedOver = true;
        return new UpstreamAnswer(
            kind, tracker, cancellation, route, body, call, client, null, meters::streamEnded);
      } finally {
        if (!handedOver) {
          call.close();
        }
      }
    }
    return UpstreamAnswer.refused(kind, tracker, cancellation, last, meters::streamEnded);
  }

  /** A status by which a model server refuses the request itself, not for its own ill health. */
  static boolean refusedTheRequest(int status) {
    return status == 400 || status == 413 || status == 422;
  }

  /**
   * Reads a streamed answer to its end, through the {@link StreamPipeline} to the listener; when no
   * route answered, the listener learns why ({@link StreamListener#failed}).
   */
  public CompletionResult relay(UpstreamAnswer answer) {
    ReplyTracker tracker = answer.tracker;
    if (!answer.answered()) {
      if (!answer.cancellation.cancelled()) {
        tracker.fail(answer.refusal().error());
      }
      return tracker.result(answer.cancellation);
    }
    answer.read = true;
    pipeline.read(answer.body, tracker, answer.cancellation, answer.route, answer.call);
    return tracker.result(answer.cancellation);
  }

  /** A whole (not streamed) answer as its model server sent it, and how it ended. */
  public record Whole(String body, CompletionResult result) {}

  /** Reads a whole answer (not streamed: a chat completion or embeddings), up to the limit. */
  public Whole readWhole(UpstreamAnswer answer) {
    ReplyTracker tracker = answer.tracker;
    answer.read = true;
    String body =
        pipeline.readWhole(
            answer.body, answer.kind, tracker, answer.cancellation, answer.route, answer.call);
    return new Whole(body, tracker.result(answer.cancellation));
  }
}
