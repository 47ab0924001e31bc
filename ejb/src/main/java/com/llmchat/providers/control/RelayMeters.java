package com.llmchat.providers.control;

import com.llmchat.platform.control.Meters;
import com.llmchat.providers.entity.CompletionResult.Outcome;
import com.llmchat.providers.entity.Route;
import io.micrometer.core.instrument.Counter;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay's meters: streams open and how they ended, time to the first token, the relay's own
 * share of the latency (sub-millisecond buckets: before the model server call, and from a read of
 * its bytes to their write), and model server errors by provider and kind. Every series exists at 0
 * from the start, so that dashboards and rate() see it before its first increment.
 */
@ApplicationScoped
public class RelayMeters {

  private static final String FIRST_TOKEN = "llmchat.chat.first.token";

  /** What {@link #error} counts. */
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

  @Inject Meters meters;

  private final AtomicInteger active = new AtomicInteger();
  private LatencyBuckets firstTokenBuckets;
  private LatencyBuckets beforeUpstreamBuckets;
  private LatencyBuckets chunkBuckets;

  @PostConstruct
  void register() {
    meters.gauge("llmchat.chat.active.streams", active);
    firstTokenBuckets = new LatencyBuckets(meters.registry(), "llmchat.chat.first.token.le");
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
      streams(outcome);
    }
    providers(List.of(Route.OWN));
  }

  /** The error series of providers (by their meter names), at 0 until counted. */
  public void providers(List<String> meterNames) {
    for (String meterName : meterNames) {
      for (String kind : ERROR_KINDS) {
        errors(meterName, kind, false);
        errors(meterName, kind, true);
      }
    }
  }

  public void streamStarted() {
    active.incrementAndGet();
  }

  /** Model server calls under way on this server now (streams and whole answers). */
  public int active() {
    return active.get();
  }

  public void streamEnded() {
    active.decrementAndGet();
  }

  public void outcome(Outcome outcome) {
    streams(outcome).increment();
  }

  /** From the request's arrival to the model server call. */
  public void beforeUpstream(long nanos) {
    beforeUpstreamBuckets.record(nanos);
  }

  /** From a read of the model server's bytes to their write to the client. */
  public void chunk(long nanos) {
    chunkBuckets.record(nanos);
  }

  public void firstToken(long nanos) {
    meters.timer(FIRST_TOKEN).record(nanos, TimeUnit.NANOSECONDS);
    firstTokenBuckets.record(nanos);
  }

  public void error(Route route, String kind, boolean willRetry) {
    errors(route.meterName(), kind, willRetry).increment();
  }

  private Counter streams(Outcome outcome) {
    return meters.counter("llmchat.chat.streams", "outcome", outcome.name().toLowerCase());
  }

  private Counter errors(String provider, String kind, boolean willRetry) {
    return meters.counter(
        "llmchat.upstream.errors",
        "provider",
        provider,
        "kind",
        kind,
        "retried",
        String.valueOf(willRetry));
  }
}
