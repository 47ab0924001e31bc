package com.llmchat.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeySecretsTest {

  @Test
  void aSecretIsThePrefixAnd43Base62Characters() {
    String secret = ApiKeySecrets.generate();
    assertTrue(secret.matches("sk-llmchat-[0-9A-Za-z]{43}"), secret);
    assertTrue(ApiKeySecrets.wellFormed(secret));
    assertEquals(secret.substring(0, 17), ApiKeySecrets.prefix(secret));
    assertEquals(64, ApiKeySecrets.hash(secret).length());
    assertNotEquals(ApiKeySecrets.hash(secret), ApiKeySecrets.hash(ApiKeySecrets.generate()));
  }

  @Test
  void everyCharacterOfTheAlphabetTurnsUpAndNoSecretTwice() {
    Set<Character> seen = new HashSet<>();
    Set<String> secrets = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      String secret = ApiKeySecrets.generate();
      assertTrue(secrets.add(secret));
      for (char c : secret.substring(11).toCharArray()) {
        seen.add(c);
      }
    }
    assertEquals(62, seen.size());
  }

  @Test
  void valuesOfAnotherFormAreNotSecrets() {
    String secret = ApiKeySecrets.generate();
    assertFalse(ApiKeySecrets.wellFormed(null));
    assertFalse(ApiKeySecrets.wellFormed(""));
    assertFalse(ApiKeySecrets.wellFormed(secret + "x"));
    assertFalse(ApiKeySecrets.wellFormed(secret.substring(0, secret.length() - 1) + "-"));
    assertFalse(ApiKeySecrets.wellFormed("sk-other-" + secret.substring(9)));
  }
}
