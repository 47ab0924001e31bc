package com.llmchat.providers.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderTest {

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
    assertEquals(expected, Provider.normalizeBaseUrl(configured));
  }

  @ParameterizedTest
  @ValueSource(strings = {"vllm:8000/v1", "ftp://host/v1", "file:///etc/passwd", "http://", ""})
  void onlyHttpUrlsWithAHostAreBaseUrls(String url) {
    assertThrows(IllegalArgumentException.class, () -> Provider.normalizeBaseUrl(url));
  }

  @Test
  void movingToAnotherBaseUrlDropsTheStoredKey() {
    var provider = new Provider("Lab", "http://vllm:8000/v1", 7L, false);
    provider.storeKey("v1:abcd:sealed", "wxyz");
    provider.moveTo("http://vllm:8000/v1/");
    assertEquals("v1:abcd:sealed", provider.apiKeySealed(), "the same URL keeps the key");
    provider.moveTo("http://elsewhere:8000/v1");
    assertNull(provider.apiKeySealed());
    assertNull(provider.apiKeyHint());
  }

  @Test
  void usersProvidersMayNotReachPrivateNetworks() {
    var own = new Provider("Mine", "https://api.example.com/v1", 7L, false);
    assertThrows(IllegalArgumentException.class, () -> own.allowPrivateNetwork(true));
  }
}
