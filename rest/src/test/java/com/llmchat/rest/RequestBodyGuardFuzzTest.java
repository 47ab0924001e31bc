package com.llmchat.rest;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The first step from request bytes to the API's body types: the guard lets a body through
 * unchanged, in whatever pieces it is read, exactly when it is valid UTF-8 (what a strict decoder
 * accepts) within the size limit, its brackets closed by their own kind and none left open, and
 * refuses it otherwise with the reason.
 */
class RequestBodyGuardFuzzTest {

  private static final int MAX_BYTES = 4096;

  @FuzzTest(maxDuration = "6s")
  void theGuardPassesExactlyTheValidUtf8WithinItsLimits(FuzzedDataProvider data)
      throws IOException {
    int piece = data.consumeInt(1, 64);
    byte[] body = data.consumeRemainingAsBytes();
    var filter = new RequestBodies();
    filter.maxBytes = MAX_BYTES;
    byte[] passed;
    try (InputStream guarded = filter.guard(new ByteArrayInputStream(body))) {
      var out = new ByteArrayOutputStream();
      byte[] buffer = new byte[piece];
      for (int n; (n = guarded.read(buffer, 0, piece)) >= 0; ) {
        out.write(buffer, 0, n);
      }
      passed = out.toByteArray();
    } catch (RequestBodies.Refused refused) {
      String why = refused.getMessage();
      if (why.contains("UTF-8") && strictUtf8(body)) {
        throw new AssertionError("valid UTF-8 refused: " + Arrays.toString(body), refused);
      }
      if (why.contains("larger") && body.length <= MAX_BYTES) {
        throw new AssertionError(body.length + " bytes refused as too large");
      }
      if ((why.contains("ends inside") || why.contains("did not open"))
          && closesWhatItOpens(body)) {
        throw new AssertionError("balanced brackets refused: " + Arrays.toString(body));
      }
      return;
    }
    if (!Arrays.equals(body, passed)) {
      throw new AssertionError("the guard changed the body");
    }
    if (!strictUtf8(body)) {
      throw new AssertionError("invalid UTF-8 let through: " + Arrays.toString(body));
    }
    if (!closesWhatItOpens(body)) {
      throw new AssertionError("unbalanced brackets let through: " + Arrays.toString(body));
    }
    if (body.length > MAX_BYTES) {
      throw new AssertionError(body.length + " bytes let through");
    }
  }

  /** Outside strings, each bracket is closed by its own kind, and nothing is left open. */
  private static boolean closesWhatItOpens(byte[] body) {
    var open = new StringBuilder();
    boolean inString = false;
    for (int i = 0; i < body.length; i++) {
      char c = (char) (body[i] & 0xFF);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        open.append(c);
      } else if (c == '}' || c == ']') {
        if (open.length() == 0 || open.charAt(open.length() - 1) != (c == '}' ? '{' : '[')) {
          return false;
        }
        open.setLength(open.length() - 1);
      }
    }
    return open.length() == 0 && !inString;
  }

  private static boolean strictUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
