package com.llmchat.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestBodiesTest {

  private static byte[] read(byte[] body) throws IOException {
    var filter = new RequestBodies();
    filter.maxBytes = 1 << 20;
    try (InputStream in = filter.guard(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"text\":\"你好，世界\"}", "{\"text\":\"😀 ünïcödé\"}", "[]", ""})
  void validUtf8PassesUnchanged(String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(bytes, read(bytes));
  }

  /** What a lenient check let through and a decoder would have replaced with U+FFFD. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "22e08080", // overlong NUL in three bytes
        "22c0af22", // overlong '/'
        "22eda08022", // a UTF-16 surrogate, D800
        "22f490808022", // past U+10FFFF
        "22f08f808022", // overlong four bytes
        "2280", // a continuation byte without a lead
        "22e4bd", // cut off at the end
        "22ff22"
      })
  void invalidUtf8IsRefused(String hex) {
    var refused =
        assertThrows(RequestBodies.Refused.class, () -> read(HexFormat.of().parseHex(hex)));
    assertTrue(refused.getMessage().contains("UTF-8"), refused.getMessage());
  }

  /** Parsson 1.1.7 skipping an unknown field's value loops forever when the body ends in it. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"unknown\":{",
        "{\"unknown\":[1,",
        "{\"name\":\"a\",\"unknown\":{\"b\":[",
        "{\"name\":\"still open",
        "{\"name\":\"a\"} {"
      })
  void aBodyEndingInsideAValueIsRefusedBeforeTheParserSeesTheEnd(String body) {
    var refused =
        assertThrows(
            RequestBodies.Refused.class, () -> read(body.getBytes(StandardCharsets.UTF_8)));
    assertTrue(refused.getMessage().contains("ends inside"), refused.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":[1}]", "{\"a\":1}}", "]", "{\"a\":{]}"})
  void aBracketClosedByTheOtherKindOrNeverOpenedIsRefused(String body) {
    var refused =
        assertThrows(
            RequestBodies.Refused.class, () -> read(body.getBytes(StandardCharsets.UTF_8)));
    assertTrue(refused.getMessage().contains("did not open"), refused.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":\"[{\\\"\"}", "[{\"a\":[]},{}]", "\"}]\"", "42"})
  void bracketsInStringsAndBalancedBodiesPass(String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(bytes, read(bytes));
  }
}
