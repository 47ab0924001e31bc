package com.llmchat.conversations.boundary;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

/** An opaque keyset cursor: the last row's time (microseconds) and id. */
final class PageCursor {

  private PageCursor() {}

  static String of(OffsetDateTime time, long id) {
    Instant instant = time.toInstant();
    long micros = instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
  }

  static OffsetDateTime instant(String cursor) {
    long micros = Long.parseLong(parts(cursor)[0]);
    return Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L)
        .atOffset(ZoneOffset.UTC);
  }

  static long id(String cursor) {
    return Long.parseLong(parts(cursor)[1]);
  }

  private static String[] parts(String cursor) {
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII).split(":");
      if (parts.length != 2) {
        throw new IllegalArgumentException();
      }
      Long.parseLong(parts[0]);
      Long.parseLong(parts[1]);
      return parts;
    } catch (IllegalArgumentException e) {
      throw new ConversationException(
          ConversationException.Reason.INVALID, "Not a page cursor: " + cursor);
    }
  }
}
