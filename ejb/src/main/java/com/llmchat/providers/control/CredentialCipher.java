package com.llmchat.providers.control;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals provider API keys at rest with AES-256-GCM: {@code v1:<key id>:<base64 nonce+ciphertext>}.
 * The key id names the master key, so keys can be rotated (older keys still open what they sealed
 * until everything is re-sealed). The context, the provider's base URL, is bound in as associated
 * data: a sealed key opens only for the URL it was saved with. Anything tampered with, or opened in
 * another context, fails closed.
 */
public final class CredentialCipher {

  private static final String VERSION = "v1";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, SecretKey> keys;
  private final String currentKeyId;

  /** {@code current} seals; {@code older} keys only open what they sealed before a rotation. */
  public CredentialCipher(byte[] current, byte[]... older) {
    var all = new java.util.LinkedHashMap<String, SecretKey>();
    currentKeyId = keyId(current);
    all.put(currentKeyId, aesKey(current));
    for (byte[] key : older) {
      all.putIfAbsent(keyId(key), aesKey(key));
    }
    this.keys = Map.copyOf(all);
  }

  /** The id under which a key seals: the first 8 hex digits of its SHA-256. */
  public static String keyId(byte[] key) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(key))
          .substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public String currentKeyId() {
    return currentKeyId;
  }

  public String seal(String secret, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(currentKeyId, context));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
      return VERSION + ":" + currentKeyId + ":" + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal a credential", e);
    }
  }

  public String open(String sealed, String context) {
    String[] parts = sealed == null ? new String[0] : sealed.split(":", 3);
    if (parts.length != 3 || !VERSION.equals(parts[0])) {
      throw new UnreadableCredentialException("not a sealed credential");
    }
    SecretKey key = keys.get(parts[1]);
    if (key == null) {
      throw new UnreadableCredentialException(
          "sealed with master key " + parts[1] + ", which is not configured");
    }
    try {
      byte[] in = Base64.getDecoder().decode(parts[2]);
      if (in.length <= NONCE_BYTES) {
        throw new UnreadableCredentialException("truncated credential");
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(aad(parts[1], context));
      return new String(
          cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new UnreadableCredentialException(
          "the credential was altered or belongs to another base URL");
    }
  }

  /** Whether a sealed value should be re-sealed with the current key (after a rotation). */
  public boolean isStale(String sealed) {
    String[] parts = sealed.split(":", 3);
    return parts.length != 3 || !currentKeyId.equals(parts[1]);
  }

  /** What may be shown of an API key: its last four characters. */
  public static String lastFour(String secret) {
    return secret == null || secret.length() < 8
        ? "…"
        : "…" + secret.substring(secret.length() - 4);
  }

  private static byte[] aad(String keyId, String context) {
    return (VERSION + ":" + keyId + ":" + context).getBytes(StandardCharsets.UTF_8);
  }

  private static SecretKey aesKey(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("a master key is 32 bytes (AES-256), not " + key.length);
    }
    return new SecretKeySpec(key, "AES");
  }

  /** A sealed credential that cannot be opened: never used, never guessed around. */
  public static final class UnreadableCredentialException extends RuntimeException {
    public UnreadableCredentialException(String message) {
      super(message);
    }
  }
}
