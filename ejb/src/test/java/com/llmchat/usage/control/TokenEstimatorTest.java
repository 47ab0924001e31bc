package com.llmchat.usage.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenEstimatorTest {

  @Test
  void countsWithTheCl100kTokenizer() {
    assertEquals(0, TokenEstimator.text(null));
    assertEquals(0, TokenEstimator.text(""));
    // "hello world" is two cl100k tokens
    assertEquals(2, TokenEstimator.text("hello world"));
  }

  @Test
  void chineseTextCostsMoreTokensThanCharactersSuggest() {
    int tokens = TokenEstimator.text("你好，世界。今天天气很好。");
    assertTrue(tokens >= 7 && tokens <= 20, tokens + " tokens");
  }

  @Test
  void aPromptAddsFramingPerMessage() {
    int helloWorld = TokenEstimator.message(TokenEstimator.text("hello world"));
    assertEquals(3 + 4 + 2 + 4 + 2, TokenEstimator.prompt(helloWorld + helloWorld));
  }
}
