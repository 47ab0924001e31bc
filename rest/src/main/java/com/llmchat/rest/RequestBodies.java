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
 * 413, a declared longer one is not read at all), valid UTF-8, its brackets nested at most {@value
 * #MAX_DEPTH} levels, each closed by its own kind, none left open at the end, nor a string (400).
 * Checked byte by byte as the body is read, once, so that neither a chunked flood, nor bytes the
 * decoder would quietly replace, nor a nesting that skipping an unknown field would walk through,
 * nor a body cut off inside a value (on which the JSON parser's skipping never ends) reaches the
 * JSON binding. Uploads of attached files are files, not JSON: their resource reads and limits them
 * itself (LLMCHAT_ATTACHMENTS_MAX_BYTES).
 */
@Provider
@PreMatching
public class RequestBodies implements ContainerRequestFilter {

  /** Deeper than any body of the API (they nest two or three levels). */
  static final int MAX_DEPTH = 32;

  @Inject
  @ConfigProperty(name = "llmchat.max-request-bytes", defaultValue = "1048576")
  long maxBytes;

  /** An import of conversations (with their files, in base64) may be larger. */
  @Inject
  @ConfigProperty(name = "llmchat.import.max-bytes", defaultValue = "33554432")
  long importMaxBytes;

  /** {@code POST v1/conversations/import}. */
  private static final java.util.regex.Pattern IMPORT =
      java.util.regex.Pattern.compile("v1/conversations/import/?");

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

  /** {@code POST v1/conversations/{id}/attachments}: a file upload. */
  private static final java.util.regex.Pattern UPLOAD =
      java.util.regex.Pattern.compile("v1/conversations/\\d+/attachments/?");

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath(false).replaceFirst("^/", "");
    if (request.getMethod().equals("POST") && UPLOAD.matcher(path).matches()) {
      return;
    }
    long limit =
        request.getMethod().equals("POST") && IMPORT.matcher(path).matches()
            ? Math.max(maxBytes, importMaxBytes)
            : maxBytes;
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
      if (declared > limit) {
        request.abortWith(tooLarge(limit).toResponse().build());
        return;
      }
    }
    if (request.hasEntity()) {
      request.setEntityStream(guard(request.getEntityStream(), limit));
    }
  }

  /** The body as the binding reads it: refused (an IOException) as soon as it breaks a rule. */
  InputStream guard(InputStream body) {
    return guard(body, maxBytes);
  }

  private InputStream guard(InputStream body, long limit) {
    return new Guarded(body, limit);
  }

  private static Problem tooLarge(long limit) {
    return Problem.of(
        Status.REQUEST_ENTITY_TOO_LARGE,
        "request-too-large",
        "The request body is larger than " + limit + " bytes");
  }

  /**
   * The body, counted, its UTF-8 checked (RFC 3629: no overlong forms, no surrogates, nothing past
   * U+10FFFF, no sequence cut off at the end) and its brackets outside strings counted as it goes.
   */
  private final class Guarded extends FilterInputStream {
    private long read;
    private int continuationBytes;
    // the range the next continuation byte must be in; only the first one's is narrower
    private int lowest = 0x80;
    private int highest = 0xBF;
    private int depth;
    // bit n set: the bracket open at depth n is an array's
    private int arrays;
    private boolean inString;
    private boolean escaped;

    private final long limit;

    Guarded(InputStream body, long limit) {
      super(body);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int next = super.read();
      if (next >= 0) {
        look((byte) next);
        count(1);
      } else {
        end();
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
      } else if (n < 0) {
        end();
      }
      return n;
    }

    private void count(int n) throws Refused {
      read += n;
      if (read > limit) {
        throw new Refused(tooLarge(limit));
      }
    }

    /**
     * The body ended: a sequence, string, object or array left open is refused here, before the
     * JSON parser sees the end (Parsson 1.1.7 skipping an unknown field's value loops forever on a
     * body that ends inside it).
     */
    private void end() throws Refused {
      if (continuationBytes > 0) {
        throw notUtf8();
      }
      if (depth > 0 || inString) {
        throw malformed("The request body ends inside a string, an object or an array");
      }
    }

    private void look(byte b) throws Refused {
      int unsigned = b & 0xFF;
      if (continuationBytes > 0) {
        if (unsigned < lowest || unsigned > highest) {
          throw notUtf8();
        }
        continuationBytes--;
        lowest = 0x80;
        highest = 0xBF;
        return;
      }
      if (unsigned >= 0x80) {
        // a character of its own: whatever a backslash before it escaped (nothing valid), it ends
        escaped = false;
        lead(unsigned);
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
        if (depth == MAX_DEPTH) {
          throw malformed("The request body nests deeper than " + MAX_DEPTH + " levels");
        }
        arrays = b == '[' ? arrays | (1 << depth) : arrays & ~(1 << depth);
        depth++;
      } else if (b == '}' || b == ']') {
        boolean array = depth > 0 && (arrays & (1 << (depth - 1))) != 0;
        if (depth == 0 || array != (b == ']')) {
          throw malformed("The request body closes a bracket it did not open");
        }
        depth--;
      }
    }

    /** A lead byte: how many continuation bytes follow, and the first one's range. */
    private void lead(int unsigned) throws Refused {
      if (unsigned >= 0xC2 && unsigned <= 0xDF) {
        continuationBytes = 1;
      } else if (unsigned >= 0xE0 && unsigned <= 0xEF) {
        continuationBytes = 2;
        if (unsigned == 0xE0) {
          lowest = 0xA0; // shorter forms are overlong
        } else if (unsigned == 0xED) {
          highest = 0x9F; // D800..DFFF are surrogates
        }
      } else if (unsigned >= 0xF0 && unsigned <= 0xF4) {
        continuationBytes = 3;
        if (unsigned == 0xF0) {
          lowest = 0x90;
        } else if (unsigned == 0xF4) {
          highest = 0x8F; // nothing past U+10FFFF
        }
      } else {
        // continuation bytes without a lead, C0 and C1 (overlong), F5..FF: never in UTF-8
        throw notUtf8();
      }
    }

    private Refused notUtf8() {
      return malformed("The request body is not valid UTF-8");
    }

    private Refused malformed(String detail) {
      return new Refused(Problem.of(Status.BAD_REQUEST, "malformed-body", detail));
    }
  }
}
