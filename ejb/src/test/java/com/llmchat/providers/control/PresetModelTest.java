package com.llmchat.providers.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PresetModelTest {

  @ParameterizedTest
  @CsvSource({
    "http://127.0.0.1:11553/v1/chat/completions, http://127.0.0.1:11553/v1",
    "http://127.0.0.1:11553/v1/chat/completions/, http://127.0.0.1:11553/v1",
    "http://vllm:8000/v1/, http://vllm:8000/v1",
    "http://vllm:8000/v1, http://vllm:8000/v1",
    "https://api.openai.com/v1/models, https://api.openai.com/v1",
    "http://ollama:11434/v1, http://ollama:11434/v1"
  })
  void fullEndpointUrlsBecomeTheBaseUrl(String configured, String expected) {
    assertEquals(expected, PresetModel.normalizeBaseUrl(configured));
  }
}
