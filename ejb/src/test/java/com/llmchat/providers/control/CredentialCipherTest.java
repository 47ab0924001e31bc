package com.llmchat.providers.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CredentialCipherTest {

  private static final String URL = "https://api.deepseek.com/v1";
  private static final String API_KEY = "sk-live-0123456789abcdef";

  private static byte[] key() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private final byte[] master = key();
  private final CredentialCipher cipher = new CredentialCipher(master);

  @Test
  void sealedKeyOpensForItsBaseUrl() {
    String sealed = cipher.seal(API_KEY, URL);
    assertTrue(sealed.startsWith("v1:" + cipher.currentKeyId() + ":"), sealed);
    assertFalse(sealed.contains(API_KEY));
    assertEquals(API_KEY, cipher.open(sealed, URL));
  }

  @Test
  void sealingTwiceGivesDifferentCiphertexts() {
    assertNotEquals(cipher.seal(API_KEY, URL), cipher.seal(API_KEY, URL));
  }

  @Test
  void aKeySavedForOneUrlNeverOpensForAnother() {
    String sealed = cipher.seal(API_KEY, URL);
    assertThrows(
        CredentialCipher.UnreadableCredentialException.class,
        () -> cipher.open(sealed, "http://attacker.example/v1"));
  }

  @Test
  void tamperedCiphertextFailsClosed() {
    String sealed = cipher.seal(API_KEY, URL);
    String[] parts = sealed.split(":", 3);
    byte[] bytes = Base64.getDecoder().decode(parts[2]);
    bytes[bytes.length - 1] ^= 1;
    String tampered = parts[0] + ":" + parts[1] + ":" + Base64.getEncoder().encodeToString(bytes);
    assertThrows(
        CredentialCipher.UnreadableCredentialException.class, () -> cipher.open(tampered, URL));
    assertThrows(
        CredentialCipher.UnreadableCredentialException.class,
        () -> cipher.open("v1:" + parts[1] + ":AAAA", URL));
    assertThrows(
        CredentialCipher.UnreadableCredentialException.class,
        () -> cipher.open("plain-text-key", URL));
  }

  @Test
  void unknownMasterKeyFailsClosed() {
    String sealed = new CredentialCipher(key()).seal(API_KEY, URL);
    assertThrows(
        CredentialCipher.UnreadableCredentialException.class, () -> cipher.open(sealed, URL));
  }

  @Test
  void afterARotationOldValuesOpenAndAreMarkedForResealing() {
    String old = cipher.seal(API_KEY, URL);
    CredentialCipher rotated = new CredentialCipher(key(), master);
    assertEquals(API_KEY, rotated.open(old, URL));
    assertTrue(rotated.isStale(old));
    String resealed = rotated.seal(rotated.open(old, URL), URL);
    assertFalse(rotated.isStale(resealed));
  }

  @Test
  void onlyTheLastFourCharactersAreShown() {
    assertEquals("…cdef", CredentialCipher.lastFour(API_KEY));
    assertEquals("…", CredentialCipher.lastFour("short"));
  }

  @Test
  void masterKeysAreAes256() {
    assertThrows(IllegalArgumentException.class, () -> new CredentialCipher(new byte[16]));
  }
}
