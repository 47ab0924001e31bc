package com.llmchat.accounts.control;

import java.security.SecureRandom;

/**
 * The secrets of API keys: {@code sk-llmchat-} and 43 base62 characters (256 random bits), kept
 * only as their SHA-256 (the secret is random: no slow hash is needed against guessing). A list
 * shows the prefix: the fixed part and the first characters of the random one.
 */
public final class ApiKeySecrets {

  public static final String PREFIX = "sk-llmchat-";
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int RANDOM_CHARS = 43;
  private static final int SHOWN_CHARS = 6;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeySecrets() {}

  /** A new secret, every character drawn uniformly (bytes beyond 4 × 62 are drawn again). */
  public static String generate() {
    StringBuilder secret = new StringBuilder(PREFIX.length() + RANDOM_CHARS).append(PREFIX);
    byte[] bytes = new byte[64];
    while (secret.length() < PREFIX.length() + RANDOM_CHARS) {
      RANDOM.nextBytes(bytes);
      for (int i = 0; i < bytes.length && secret.length() < PREFIX.length() + RANDOM_CHARS; i++) {
        int value = bytes[i] & 0xff;
        if (value < 4 * 62) {
          secret.append(BASE62.charAt(value % 62));
        }
      }
    }
    return secret.toString();
  }

  /** Whether a presented value has the form of a secret (checked before any lookup). */
  public static boolean wellFormed(String value) {
    if (value == null
        || value.length() != PREFIX.length() + RANDOM_CHARS
        || !value.startsWith(PREFIX)) {
      return false;
    }
    for (int i = PREFIX.length(); i < value.length(); i++) {
      if (BASE62.indexOf(value.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  public static String hash(String secret) {
    return RefreshTokens.hash(secret);
  }

  /** What lists show of a secret. */
  public static String prefix(String secret) {
    return secret.substring(0, PREFIX.length() + SHOWN_CHARS);
  }
}
