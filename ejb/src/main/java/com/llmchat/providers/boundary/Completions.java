package com.llmchat.providers.boundary;

import com.llmchat.json.JsonFactory;
import com.llmchat.platform.control.Meters;
import com.llmchat.providers.control.ChatStreamParser;
import com.llmchat.providers.control.CircuitBreakers;
import com.llmchat.providers.control.CompletionAssembly;
import com.llmchat.providers.control.LatencyBuckets;
import com.llmchat.providers.control.StreamCancellation;
import com.llmchat.providers.control.UpstreamAddressPolicy.RefusedAddressException;
import com.llmchat.providers.control.UpstreamAddresses;
import com.llmchat.providers.control.UpstreamBodies;
import com.llmchat.providers.control.UpstreamClients;
import com.llmchat.providers.control.UpstreamFailures;
import com.llmchat.providers.control.UpstreamHttpException;
import com.llmchat.providers.control.UpstreamLimitException;
import com.llmchat.providers.control.UpstreamLines;
import com.llmchat.providers.control.UpstreamRetries;
import com.llmchat.providers.entity.CompletionRequest;
import com.llmchat.providers.entity.CompletionResult;
import com.llmchat.providers.entity.CompletionResult.Outcome;
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
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Streams a completion from a model server to a listener, event by event: each route in turn until
 * one answers (retries before the first token, circuit breaker per provider), then the tokens as
 * they come. No transaction and no database connection is held meanwhile. A singleton without
 * container locks: a pooled bean would cap concurrent streams at the pool size. Started with the
 * application, so that its meters exist (at 0) before the first chat.
 */
@Startup
@DependsOn({"SchemaMigrations", "PresetProvider"})
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Completions {

  private static final Logger LOG = Logger.getLogger(Completions.class.getName());
  private static final AtomicInteger ACTIVE = new AtomicInteger();

  @Inject UpstreamClients clients;
  @Inject UpstreamAddresses addresses;
  @Inject UpstreamRetries retries;
  @Inject CircuitBreakers breakers;
  @Inject UpstreamFailures failures;
  @Inject Meters meters;

  /** The longest line of a model server's stream this server reads (bytes). */
  @Inject
  @ConfigProperty(name = "llmchat.llm.max-line-bytes", defaultValue = "1048576")
  int maxLineBytes;

  /** The largest event (its data lines together, characters). */
  @Inject
  @ConfigProperty(name = "llmchat.llm.max-event-chars", defaultValue = "4194304")
  int maxEventChars;

  /** The longest reply: content, reasoning and tool call arguments together (characters). */
  @Inject
  @ConfigProperty(name = "llmchat.llm.max-reply-chars", defaultValue = "8388608")
  long maxReplyChars;

  /** What {@link #countError} counts, so that a fresh server shows every series at 0. */
  private static final List<String> ERROR_KINDS =
      List.of(
          "http-429",
          "http-5xx",
          "http-4xx",
          "connect",
          "breaker-open",
          "refused-address",
          "stream-broken",
          "too-large",
          "redirect");

  @PersistenceContext EntityManager em;

  @PostConstruct
  void registerMeters() {
    // one instance: the gauge and the buckets are registered once, at start, so that dashboards
    // and rate() see them from 0 rather than from their first increment
    meters.gauge("llmchat.chat.active.streams", ACTIVE);
    firstTokenBuckets = new LatencyBuckets(meters.registry(), "llmchat.chat.first.token.le");
    // the relay's own share: from the request's arrival to the model server call, and from a
    // read of the model server's bytes to their write to the client
    beforeUpstreamBuckets =
        new LatencyBuckets(
            meters.registry(),
            "llmchat.relay.before.upstream.le",
            LatencyBuckets.SUB_MILLISECOND_BOUNDS);
    chunkBuckets =
        new LatencyBuckets(
            meters.registry(), "llmchat.relay.chunk.le", LatencyBuckets.SUB_MILLISECOND_BOUNDS);
    meters.timer(FIRST_TOKEN);
    for (Outcome outcome : Outcome.values()) {
      streamsCounter(outcome);
    }
    for (String provider :
        em.createNamedQuery(Provider.SHARED_NAMES, String.class).getResultList()) {
      for (String kind : ERROR_KINDS) {
        errorCounter(provider, kind, false);
        errorCounter(provider, kind, true);
      }
    }
    for (String kind : ERROR_KINDS) {
      errorCounter(Route.OWN, kind, false);
      errorCounter(Route.OWN, kind, true);
    }
  }

  private io.micrometer.core.instrument.Counter streamsCounter(Outcome outcome) {
    return meters.counter("llmchat.chat.streams", "outcome", outcome.name().toLowerCase());
  }

  private static final String FIRST_TOKEN = "llmchat.chat.first.token";
  private LatencyBuckets firstTokenBuckets;
  private LatencyBuckets beforeUpstreamBuckets;
  private LatencyBuckets chunkBuckets;

  /**
   * Blocks until the stream ends. The listener returns false when nobody listens any more, which
   * ends the upstream call.
   */
  public CompletionResult stream(
      CompletionRequest request, StreamListener listener, StreamCancellation cancellation) {
    ACTIVE.incrementAndGet();
    try {
      return streamFirstRouteThatAnswers(request, listener, cancellation);
    } finally {
      ACTIVE.decrementAndGet();
    }
  }

  private CompletionResult streamFirstRouteThatAnswers(
      CompletionRequest request, StreamListener listener, StreamCancellation cancellation) {
    long started = System.nanoTime();
    var assembly = new CompletionAssembly();
    var outcome = new Tracker(listener, assembly, started);
    StreamEvent.Error lastFailure =
        new StreamEvent.Error("No model server serves " + request.model(), "no_route");
    for (Route route : request.routes()) {
      if (cancellation.cancelled()) {
        break;
      }
      try (CircuitBreakers.Call call = breakers.attempt(route.providerId())) {
        if (call == null) {
          countError(route, "breaker-open", false);
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
          countError(route, "refused-address", false);
          lastFailure = failed(route, "refused_address", "is at an address that is not allowed", e);
          continue;
        }
        // held until the reply has been read: a client evicted meanwhile closes after it
        try (UpstreamClients.Lease client = clients.lease(route, address)) {
          InputStream body;
          try {
            String json = requestBody(request, route);
            if (route == request.routes().get(0) && request.receivedNanos() != 0) {
              beforeUpstreamBuckets.record(System.nanoTime() - request.receivedNanos());
            }
            body =
                retries.open(
                    () -> client.client().streamCompletion(route.authorization(), json),
                    cancellation,
                    (kind, willRetry) -> countError(route, kind, willRetry));
          } catch (WebApplicationException e) {
            call.failed();
            lastFailure = upstreamRefusal(route, e);
            continue;
          } catch (ProcessingException e) {
            call.failed();
            LOG.log(Level.FINE, "model server unreachable", e);
            lastFailure = failed(route, failureCode(e), "cannot be reached", e);
            continue;
          }
          outcome.route = route;
          relay(body, outcome, cancellation, route, call);
          return outcome.result(System.nanoTime() - started, cancellation);
        }
      }
    }
    if (!cancellation.cancelled()) {
      outcome.accept(lastFailure);
    }
    return outcome.result(System.nanoTime() - started, cancellation);
  }

  private void relay(
      InputStream body,
      Tracker outcome,
      StreamCancellation cancellation,
      Route route,
      CircuitBreakers.Call call) {
    cancellation.onCancel(() -> UpstreamBodies.abort(body));
    try {
      var lines = new UpstreamLines(body, maxLineBytes);
      var parser = new ChatStreamParser(outcome::accept, maxEventChars);
      String line;
      while (!outcome.listenerGone && !cancellation.cancelled() && (line = lines.next()) != null) {
        parser.line(line);
        if (!lines.buffered()) {
          // nothing more has arrived: pass on what this read brought (a burst leaves together)
          outcome.flush();
          chunkBuckets.record(System.nanoTime() - lines.readNanos());
        }
      }
      if (!outcome.listenerGone && !cancellation.cancelled()) {
        parser.end();
      }
      // an error the provider reports in the stream (context too long, content filter) is an
      // answer, not a sign of ill health: only broken connections count against the breaker
      call.succeeded();
    } catch (UpstreamLimitException e) {
      // the server answers, too much: not a sign of ill health, and the rest is not read
      countError(route, "too-large", false);
      outcome.accept(failed(route, "upstream_too_large", "sent more than is accepted", e));
      UpstreamBodies.abort(body);
    } catch (IOException | RuntimeException e) {
      if (!cancellation.cancelled() && !outcome.listenerGone) {
        LOG.log(Level.FINE, "model server stream failed", e);
        call.failed();
        countError(route, "stream-broken", false);
        outcome.accept(failed(route, failureCode(e), "broke off the answer", e));
      }
    } finally {
      if (outcome.listenerGone || cancellation.cancelled()) {
        // nobody listens: cut the connection rather than read the rest of the answer
        outcome.listenerGone = true;
        cancellation.cancel();
      } else {
        UpstreamBodies.closeQuietly(body);
      }
    }
  }

  /**
   * A failure as the user learns it (the provider's name, what happened, a code to translate) and
   * as its operators do (the exception's own words, host and port included, in the log and the
   * provider's last failure).
   */
  private StreamEvent.Error failed(Route route, String code, String what, Throwable cause) {
    failures.record(route, code, rootMessage(cause));
    return new StreamEvent.Error(route.providerName() + " " + what, code);
  }

  private StreamEvent.Error upstreamRefusal(Route route, WebApplicationException e) {
    int status = e.getResponse().getStatus();
    String code;
    if (status >= 300 && status < 400) {
      countError(route, "redirect", false);
      code = "upstream_redirect";
    } else {
      code =
          status == 401 || status == 403
              ? "upstream_auth"
              : status == 429 ? "upstream_rate_limited" : "upstream_failed";
    }
    // the body may echo the request (keys included) or name internal hosts: operators only
    failures.record(route, code, "HTTP " + status + " " + upstreamBody(e));
    return new StreamEvent.Error(route.providerName() + " answered HTTP " + status, code);
  }

  private static String upstreamBody(WebApplicationException e) {
    return e instanceof UpstreamHttpException answer ? answer.body() : "";
  }

  /** {@code upstream_timeout} when the provider's connect or read timeout ran out. */
  private static String failureCode(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.net.SocketTimeoutException
          || cause instanceof java.net.http.HttpTimeoutException
          || cause instanceof java.util.concurrent.TimeoutException) {
        return "upstream_timeout";
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return "upstream_failed";
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private void countError(Route route, String kind, boolean willRetry) {
    errorCounter(route.meterName(), kind, willRetry).increment();
  }

  private io.micrometer.core.instrument.Counter errorCounter(
      String provider, String kind, boolean willRetry) {
    return meters.counter(
        "llmchat.upstream.errors",
        "provider",
        provider,
        "kind",
        kind,
        "retried",
        String.valueOf(willRetry));
  }

  static String requestBody(CompletionRequest request, Route route) {
    JsonArrayBuilder messages = JsonFactory.array();
    request
        .messages()
        .forEach(
            turn ->
                messages.add(
                    JsonFactory.object().add("role", turn.role()).add("content", turn.content())));
    JsonObjectBuilder body =
        JsonFactory.object()
            .add("model", route.upstreamModel())
            .add("stream", true)
            .add("messages", messages);
    if (route.includeUsage()) {
      body.add("stream_options", JsonFactory.object().add("include_usage", true));
    }
    Double temperature =
        request.temperature() != null ? request.temperature() : route.temperature();
    if (temperature != null) {
      body.add("temperature", temperature);
    }
    Integer maxTokens = request.maxTokens() != null ? request.maxTokens() : route.maxTokens();
    if (maxTokens != null) {
      body.add("max_tokens", maxTokens);
    }
    return body.build().toString();
  }

  /** Follows the stream: assembles it, times the first token, and passes events on. */
  private final class Tracker {
    private final StreamListener listener;
    private final CompletionAssembly assembly;
    private final long started;
    private long firstToken = -1;
    private boolean failed;
    private boolean listenerGone;
    private Route route;
    private long replyChars;

    Tracker(StreamListener listener, CompletionAssembly assembly, long started) {
      this.listener = listener;
      this.assembly = assembly;
      this.started = started;
    }

    void accept(StreamEvent event) {
      long added =
          event instanceof StreamEvent.Delta delta
              ? length(delta.content()) + length(delta.reasoning())
              : event instanceof StreamEvent.ToolCallDelta call ? length(call.arguments()) : 0;
      if (added > 0 && (replyChars += added) > maxReplyChars) {
        throw new UpstreamLimitException("the reply", maxReplyChars);
      }
      assembly.accept(event);
      if (listenerGone) {
        return;
      }
      if (firstToken < 0 && event instanceof StreamEvent.Delta) {
        firstToken = System.nanoTime() - started;
        meters.timer(FIRST_TOKEN).record(firstToken, TimeUnit.NANOSECONDS);
        firstTokenBuckets.record(firstToken);
      }
      failed |= event instanceof StreamEvent.Error;
      listenerGone = !listener.event(event);
    }

    void flush() {
      if (!listenerGone) {
        listenerGone = !listener.flush();
      }
    }

    private static long length(String text) {
      return text == null ? 0 : text.length();
    }

    CompletionResult result(long duration, StreamCancellation cancellation) {
      Outcome outcome =
          listenerGone || cancellation.cancelled()
              ? Outcome.CANCELLED
              : failed ? Outcome.FAILED : Outcome.COMPLETED;
      streamsCounter(outcome).increment();
      return new CompletionResult(outcome, assembly, route, firstToken, duration);
    }
  }
}
