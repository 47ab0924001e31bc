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
 * What a request body must be before the API parses it: at most LLMCHAT_MAX_REQUEST_BYTES (1 MB;
 * 413, a declared longer one is not read at all), valid UTF-8 and nested at most {@value
 * #MAX_DEPTH} levels (400). Checked byte by byte as the body is read, once, so that neither a
 * chunked flood, nor bytes the decoder would quietly replace, nor a nesting that skipping an
 * unknown field would walk through reaches the JSON binding.
 */
@Provider
@PreMatching
public class RequestBodies implements ContainerRequestFilter {

  /** Deeper than any body of the API (they nest two or three levels). */
  static final int MAX_DEPTH = 32;

  @Inject
  @ConfigProperty(name = "llmchat.max-request-bytes", defaultValue = "1048576")
  long maxBytes;

  /** A body refused while it was read; the problem mapper answers it. */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    Refused(Problem problem) {
      super(problem.detail());
      this.problem = problem;
    }

    Problem problem() {
      return problem;
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
        request.abortWith(tooLarge().toResponse().build());
        return;
      }
    }
    if (request.hasEntity()) {
      request.setEntityStream(new Guarded(request.getEntityStream()));
    }
  }

  private Problem tooLarge() {
    return Problem.of(
        Status.REQUEST_ENTITY_TOO_LARGE,
        "request-too-large",
        "The request body is larger than " + maxBytes + " bytes");
  }

  /** The body, counted, its UTF-8 checked and its brackets outside strings counted as it goes. */
  private final class Guarded extends FilterInputStream {
    private long read;
    private int continuationBytes;
    private int depth;
    private boolean inString;
    private boolean escaped;

    Guarded(InputStream body) {
      super(body);
    }

    @Override
    public int read() throws IOException {
      int next = super.read();
      if (next >= 0) {
        look((byte) next);
        count(1);
      }
      return next;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      for (int i = 0; i < n; i++) {
        look(buffer[offset + i]);
      }
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws Refused {
      read += n;
      if (read > maxBytes) {
        throw new Refused(tooLarge());
      }
    }

    private void look(byte b) throws Refused {
      int unsigned = b & 0xFF;
      if (continuationBytes > 0) {
        if ((unsigned & 0xC0) != 0x80) {
          throw notUtf8();
        }
        continuationBytes--;
        return;
      }
      if (unsigned >= 0x80) {
        // lead bytes of 2, 3 and 4 byte sequences; C0, C1 and F5..FF never occur in UTF-8
        continuationBytes =
            unsigned >= 0xC2 && unsigned <= 0xDF
                ? 1
                : unsigned >= 0xE0 && unsigned <= 0xEF
                    ? 2
                    : unsigned >= 0xF0 && unsigned <= 0xF4 ? 3 : -1;
        if (continuationBytes < 0) {
          throw notUtf8();
        }
        return;
      }
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        if (++depth > MAX_DEPTH) {
          throw new Refused(
              Problem.of(
                  Status.BAD_REQUEST,
                  "malformed-body",
                  "The request body nests deeper than " + MAX_DEPTH + " levels"));
        }
      } else if (b == '}' || b == ']') {
        depth--;
      }
    }

    private Refused notUtf8() {
      return new Refused(
          Problem.of(Status.BAD_REQUEST, "malformed-body", "The request body is not valid UTF-8"));
    }
  }
}
