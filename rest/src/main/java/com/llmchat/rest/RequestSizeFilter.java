package com.llmchat.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Request bodies above LLMCHAT_MAX_REQUEST_BYTES (1 MB) get 413 problem+json and store nothing: a
 * declared longer one is refused before anything reads it; one without a length (chunked) fails as
 * soon as it is read past the limit, which the problem mapper answers the same way.
 */
@Provider
@PreMatching
public class RequestSizeFilter implements ContainerRequestFilter {

  @Inject
  @ConfigProperty(name = "llmchat.max-request-bytes", defaultValue = "1048576")
  long maxBytes;

  /** Reading went past the limit. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long maxBytes) {
      super("request body larger than " + maxBytes + " bytes");
    }
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        request.abortWith(
            Problem.of(Status.BAD_REQUEST, "invalid-request", "Content-Length is not a number")
                .toResponse()
                .build());
        return;
      }
      if (declared > maxBytes) {
        request.abortWith(tooLarge(maxBytes).toResponse().build());
        return;
      }
    }
    if (request.hasEntity()) {
      request.setEntityStream(new Limited(request.getEntityStream(), maxBytes));
    }
  }

  static Problem tooLarge(long maxBytes) {
    return Problem.of(
        Status.REQUEST_ENTITY_TOO_LARGE,
        "request-too-large",
        "The request body is larger than " + maxBytes + " bytes");
  }

  /** A body that may be read up to the limit and not one byte further. */
  private static final class Limited extends FilterInputStream {
    private final long maxBytes;
    private long read;

    Limited(InputStream body, long maxBytes) {
      super(body);
      this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
      int next = super.read();
      if (next >= 0) {
        count(1);
      }
      return next;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws TooLarge {
      read += n;
      if (read > maxBytes) {
        throw new TooLarge(maxBytes);
      }
    }
  }
}
