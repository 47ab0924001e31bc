package com.llmchat.conversations.boundary;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** A cursor from a client is either a page position or refused as invalid, never a 500. */
class PageCursorFuzzTest {

  @FuzzTest(maxDuration = "5s")
  void anyCursorIsReadOrRefused(FuzzedDataProvider data) {
    // most of the time a well-encoded cursor around a fuzzed text (Base64 is not instrumented)
    String cursor =
        data.consumeBoolean()
            ? data.consumeRemainingAsString()
            : java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    data.consumeRemainingAsString()
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    try {
      PageCursor.instant(cursor);
      PageCursor.id(cursor);
    } catch (ConversationException refused) {
      // the answer for what is not a cursor of ours: 400
    }
  }
}
