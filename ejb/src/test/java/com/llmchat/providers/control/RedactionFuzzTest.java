package com.llmchat.providers.control;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.regex.Pattern;

/**
 * Any text: redaction does not throw, leaves no sk- key behind, and a second pass changes nothing.
 */
class RedactionFuzzTest {

  private static final Pattern KEY = Pattern.compile("\\bsk-[A-Za-z0-9_\\-]{6,}");

  @FuzzTest(maxDuration = "5s")
  void anyTextIsRedactedOnceAndForAll(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    String once = Redaction.secrets(text);
    if (KEY.matcher(once).find()) {
      throw new AssertionError("a key is left in " + once);
    }
    if (!Redaction.secrets(once).equals(once)) {
      throw new AssertionError("a second pass changed " + once);
    }
  }
}
