package com.llmchat.providers.control;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends a model server's response body at once. Closing the body the REST client returns would first
 * read the rest of the chunked stream (Apache HttpClient drains it to reuse the connection), so a
 * completion nobody listens to any more would run, and be paid for, to its end. Aborting closes the
 * connection instead; the model server sees it and stops generating.
 */
public final class UpstreamBodies {

  private static final Logger LOG = Logger.getLogger(UpstreamBodies.class.getName());
  private static final int MAX_WRAPPERS = 6;

  private UpstreamBodies() {}

  /** Aborts the connection under the body (RESTEasy wraps Apache's EofSensorInputStream). */
  public static void abort(InputStream body) {
    Object stream = body;
    for (int depth = 0; depth < MAX_WRAPPERS && stream != null; depth++) {
      Method abort = publicNoArgMethod(stream.getClass(), "abortConnection");
      if (abort != null) {
        try {
          abort.invoke(stream);
          return;
        } catch (ReflectiveOperationException e) {
          LOG.log(Level.FINE, "abortConnection failed", e);
          break;
        }
      }
      stream = wrapped(stream);
    }
    LOG.fine("no abortable connection under the response body; closing it instead");
    closeQuietly(body);
  }

  /**
   * The body as text, read up to {@code maxBytes}: a longer one is cut there (with {@code
   * truncate}) or refused with {@link UpstreamLimitException}; either way the rest is not read.
   */
  public static String read(InputStream body, int maxBytes, boolean truncate) throws IOException {
    byte[] bytes = body.readNBytes(maxBytes);
    if (bytes.length == maxBytes && body.read() != -1) {
      abort(body);
      if (!truncate) {
        throw new UpstreamLimitException("the model server's answer", maxBytes);
      }
    } else {
      closeQuietly(body);
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  public static void closeQuietly(InputStream body) {
    try {
      body.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing a model server response", e);
    }
  }

  private static Method publicNoArgMethod(Class<?> type, String name) {
    try {
      return type.getMethod(name);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /** The stream a wrapper delegates to: its first field of an InputStream type. */
  private static Object wrapped(Object stream) {
    for (Class<?> type = stream.getClass();
        type != null && type != Object.class;
        type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (InputStream.class.isAssignableFrom(field.getType())) {
          try {
            field.setAccessible(true);
            return field.get(stream);
          } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
          }
        }
      }
    }
    return null;
  }
}
