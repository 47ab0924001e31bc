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
import com.llmchat.providers.control.UpstreamRequests;
import com.llmchat.providers.control.UpstreamRetries;
import com.llmchat.providers.entity.CompletionRequest;
import com.llmchat.providers.entity.CompletionResult;
import com.llmchat.providers.entity.Provider;
import com.llmchat.providers.entity.Route;
import com.llmchat.providers.entity.StreamEvent;
import com.llmchat.providers.entity.StreamListener;
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
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Streams a completion from a model server to a listener: each route in turn until one answers (the
 * address checked, retries before the first token, a circuit breaker per provider), then its answer
 * through the {@link StreamPipeline}. No transaction and no database connection is held meanwhile.
 * A singleton without container locks: a pooled bean would cap concurrent streams at the pool size.
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
    meters.streamStarted();
    try {
      return streamFirstRouteThatAnswers(request, listener, cancellation);
    } finally {
      meters.streamEnded();
    }
  }

  private CompletionResult streamFirstRouteThatAnswers(
      CompletionRequest request, StreamListener listener, StreamCancellation cancellation) {
    ReplyTracker tracker = pipeline.tracker(listener, System.nanoTime());
    StreamEvent.Error lastFailure =
        new StreamEvent.Error("No model server serves " + request.model(), "no_route");
    for (Route route : request.routes()) {
      if (cancellation.cancelled()) {
        break;
      }
      try (CircuitBreakers.Call call = breakers.attempt(route.providerId())) {
        if (call == null) {
          meters.error(route, "breaker-open", false);
          lastFailure =
              new StreamEvent.Error(
                  route.providerName() + " failed repeatedly and is paused for a moment",
                  "provider_paused");
          continue;
        }
        InetAddress address;
        try {
          // checked at every call: the name may resolve elsewhere since the provider was saved;
          // the client connects to the address checked, not to a second lookup's answer
          address = addresses.check(route);
        } catch (RefusedAddressException e) {
          meters.error(route, "refused-address", false);
          lastFailure =
              failures.failed(route, "refused_address", "is at an address that is not allowed", e);
          continue;
        }
        // held until the reply has been read: a client evicted meanwhile closes after it
        try (UpstreamClients.Lease client = clients.lease(route, address)) {
          InputStream body;
          try {
            String json = UpstreamRequests.body(request, route);
            if (route == request.routes().get(0) && request.receivedNanos() != 0) {
              meters.beforeUpstream(System.nanoTime() - request.receivedNanos());
            }
            body =
                retries.open(
                    () -> client.client().streamCompletion(route.authorization(), json),
                    cancellation,
                    (kind, willRetry) -> meters.error(route, kind, willRetry));
          } catch (WebApplicationException e) {
            call.failed();
            if (e.getResponse().getStatus() / 100 == 3) {
              meters.error(route, "redirect", false);
            }
            lastFailure = failures.refused(route, e);
            continue;
          } catch (ProcessingException e) {
            call.failed();
            LOG.log(Level.FINE, "model server unreachable", e);
            lastFailure = failures.failed(route, UpstreamFailures.code(e), "cannot be reached", e);
            continue;
          }
          tracker.answeredBy(route);
          pipeline.read(body, tracker, cancellation, route, call);
          return tracker.result(cancellation);
        }
      }
    }
    if (!cancellation.cancelled()) {
      tracker.accept(lastFailure);
    }
    return tracker.result(cancellation);
  }
}
