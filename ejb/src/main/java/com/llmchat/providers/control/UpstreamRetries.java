package com.llmchat.providers.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Opens an upstream stream, retrying with exponential backoff while nothing has been streamed yet:
 * connection failures, 429 (honouring Retry-After up to a cap) and 5xx. Once the answer has
 * started, nothing is retried, since the user has seen part of it.
 */
@ApplicationScoped
public class UpstreamRetries {

  private static final Duration MAX_WAIT = Duration.ofSeconds(5);

  @Inject
  @ConfigProperty(name = "llmchat.llm.retries", defaultValue = "2")
  int retries;

  @Inject
  @ConfigProperty(name = "llmchat.llm.retry-backoff-ms", defaultValue = "250")
  long backoffMs;

  /** What went wrong on an attempt, for the meters: http-429, http-5xx, connect. */
  public interface Failures {
    void failed(String kind, boolean willRetry);
  }

  public InputStream open(
      Supplier<InputStream> call, StreamCancellation cancellation, Failures failures) {
    for (int attempt = 0; ; attempt++) {
      try {
        return call.get();
      } catch (WebApplicationException e) {
        int status = e.getResponse().getStatus();
        boolean transientError = status == 429 || status >= 500;
        boolean retry = transientError && attempt < retries && !cancellation.cancelled();
        failures.failed(
            status == 429 ? "http-429" : status >= 500 ? "http-5xx" : "http-4xx", retry);
        if (!retry) {
          throw e;
        }
        pause(wait(attempt, status == 429 ? e.getResponse().getHeaderString("Retry-After") : null));
      } catch (ProcessingException e) {
        boolean retry = attempt < retries && !cancellation.cancelled();
        failures.failed("connect", retry);
        if (!retry) {
          throw e;
        }
        pause(wait(attempt, null));
      }
    }
  }

  Duration wait(int attempt, String retryAfter) {
    if (retryAfter != null) {
      try {
        Duration asked = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
        return asked.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : asked;
      } catch (NumberFormatException e) {
        // an HTTP date: fall back to our own backoff
      }
    }
    long base = backoffMs << Math.min(attempt, 6);
    long jitter = ThreadLocalRandom.current().nextLong(base / 4 + 1);
    return Duration.ofMillis(Math.min(base + jitter, MAX_WAIT.toMillis()));
  }

  private static void pause(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProcessingException("interrupted while waiting to retry", e);
    }
  }
}
