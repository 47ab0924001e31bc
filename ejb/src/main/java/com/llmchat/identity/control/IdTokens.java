package com.llmchat.identity.control;

import com.llmchat.json.JsonFactory;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Checks an OpenID Connect ID token as the spec asks a client to (OIDC Core 3.1.3.7): signed with
 * one of the provider's keys (RS256/384/512 or ES256/384; never "none" or a shared secret), issued
 * by the provider's issuer, for this client (aud, and azp when there are several audiences), not
 * expired, not from the future, and carrying the nonce this login sent. Pure: the keys and the
 * clock are given.
 */
public final class IdTokens {

  /** Allowed clock difference with the provider. */
  public static final Duration SKEW = Duration.ofSeconds(60);

  private static final Map<String, String> SIGNATURES =
      Map.of(
          "RS256", "SHA256withRSA",
          "RS384", "SHA384withRSA",
          "RS512", "SHA512withRSA",
          "ES256", "SHA256withECDSA",
          "ES384", "SHA384withECDSA");

  private static final Map<String, String> CURVES =
      Map.of("P-256", "secp256r1", "P-384", "secp384r1");

  /** Why a token is refused (shown to administrators and in the audit log, never a secret). */
  public static final class InvalidTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidTokenException(String message) {
      super(message);
    }
  }

  /** A provider's signing key, as its JWKS document lists it. */
  public record Key(String kid, String algorithmFamily, PublicKey key) {}

  private IdTokens() {}

  /** The signing keys of a JWKS document (keys for encryption and unknown kinds are left out). */
  public static List<Key> keys(JsonObject jwks) throws InvalidTokenException {
    List<Key> keys = new ArrayList<>();
    JsonArray listed = jwks.getJsonArray("keys");
    if (listed == null) {
      throw new InvalidTokenException("the provider's JWKS document has no keys");
    }
    for (JsonValue value : listed) {
      if (value.getValueType() != JsonValue.ValueType.OBJECT) {
        continue;
      }
      JsonObject jwk = value.asJsonObject();
      if ("enc".equals(jwk.getString("use", "sig"))) {
        continue;
      }
      try {
        switch (jwk.getString("kty", "")) {
          case "RSA" ->
              keys.add(
                  new Key(
                      jwk.getString("kid", null),
                      "RSA",
                      KeyFactory.getInstance("RSA")
                          .generatePublic(
                              new RSAPublicKeySpec(
                                  unsigned(jwk.getString("n")), unsigned(jwk.getString("e"))))));
          case "EC" -> {
            String curve = CURVES.get(jwk.getString("crv", ""));
            if (curve != null) {
              AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
              parameters.init(new ECGenParameterSpec(curve));
              keys.add(
                  new Key(
                      jwk.getString("kid", null),
                      "EC",
                      KeyFactory.getInstance("EC")
                          .generatePublic(
                              new ECPublicKeySpec(
                                  new ECPoint(
                                      unsigned(jwk.getString("x")), unsigned(jwk.getString("y"))),
                                  parameters.getParameterSpec(ECParameterSpec.class)))));
            }
          }
          default -> {
            // oct (shared secrets) and unknown kinds: never used to check an ID token
          }
        }
      } catch (GeneralSecurityException | RuntimeException e) {
        // a key we cannot read is a key no token of ours is checked with
      }
    }
    return keys;
  }

  /** The token's claims, once every check passed. */
  public static JsonObject verify(
      String token, List<Key> keys, String issuer, String clientId, String nonce, Instant now)
      throws InvalidTokenException {
    String[] parts = token == null ? new String[0] : token.split("\\.", -1);
    if (parts.length != 3) {
      throw new InvalidTokenException("the ID token is not a signed JWT");
    }
    JsonObject header = json(parts[0], "header");
    String algorithm = header.getString("alg", "");
    String signatureAlgorithm = SIGNATURES.get(algorithm);
    if (signatureAlgorithm == null) {
      throw new InvalidTokenException("the ID token's algorithm " + algorithm + " is not accepted");
    }
    String family = algorithm.startsWith("ES") ? "EC" : "RSA";
    String kid = header.getString("kid", null);
    byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    byte[] signature = decode(parts[2], "signature");
    boolean valid = false;
    for (Key key : keys) {
      if (!key.algorithmFamily().equals(family) || (kid != null && !kid.equals(key.kid()))) {
        continue;
      }
      try {
        Signature check = Signature.getInstance(signatureAlgorithm);
        check.initVerify(key.key());
        check.update(signed);
        if (check.verify(family.equals("EC") ? der(signature) : signature)) {
          valid = true;
          break;
        }
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // not this key
      }
    }
    if (!valid) {
      throw new InvalidTokenException(
          "the ID token's signature is not one of the provider's keys"
              + (kid == null ? "" : " (kid " + kid + ")"));
    }
    JsonObject claims = json(parts[1], "claims");
    if (!issuer.equals(claims.getString("iss", null))) {
      throw new InvalidTokenException(
          "the ID token was issued by " + claims.getString("iss", "nobody") + ", not " + issuer);
    }
    List<String> audiences = strings(claims.get("aud"));
    if (!audiences.contains(clientId)) {
      throw new InvalidTokenException("the ID token is for " + audiences + ", not " + clientId);
    }
    String azp = claims.getString("azp", null);
    if (azp != null && !azp.equals(clientId)) {
      throw new InvalidTokenException("the ID token was requested by " + azp + ", not " + clientId);
    }
    long expires = number(claims, "exp");
    if (Instant.ofEpochSecond(expires).plus(SKEW).isBefore(now)) {
      throw new InvalidTokenException(
          "the ID token expired at " + Instant.ofEpochSecond(expires) + " (check the clocks)");
    }
    long issued = number(claims, "iat");
    if (Instant.ofEpochSecond(issued).minus(SKEW).isAfter(now)) {
      throw new InvalidTokenException(
          "the ID token is issued in the future, at "
              + Instant.ofEpochSecond(issued)
              + " (check the clocks)");
    }
    if (nonce == null || !nonce.equals(claims.getString("nonce", null))) {
      throw new InvalidTokenException("the ID token's nonce is not this login's");
    }
    if (claims.getString("sub", "").isEmpty()) {
      throw new InvalidTokenException("the ID token names no subject");
    }
    return claims;
  }

  /** A claim's values: a string, or an array's strings (anything else: none). */
  public static List<String> strings(JsonValue value) {
    List<String> found = new ArrayList<>();
    if (value instanceof JsonString text) {
      found.add(text.getString());
    } else if (value instanceof JsonArray array) {
      for (JsonValue item : array) {
        if (item instanceof JsonString text) {
          found.add(text.getString());
        }
      }
    }
    return found;
  }

  private static long number(JsonObject claims, String name) throws InvalidTokenException {
    JsonValue value = claims.get(name);
    if (value == null || value.getValueType() != JsonValue.ValueType.NUMBER) {
      throw new InvalidTokenException("the ID token has no " + name);
    }
    return claims.getJsonNumber(name).longValue();
  }

  private static JsonObject json(String part, String what) throws InvalidTokenException {
    try {
      return JsonFactory.parseObject(new String(decode(part, what), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new InvalidTokenException("the ID token's " + what + " is not JSON");
    }
  }

  private static byte[] decode(String part, String what) throws InvalidTokenException {
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("the ID token's " + what + " is not base64url");
    }
  }

  private static BigInteger unsigned(String base64url) {
    return new BigInteger(1, Base64.getUrlDecoder().decode(base64url));
  }

  /** JOSE's ECDSA signature (r || s) as the DER sequence Java's Signature reads. */
  static byte[] der(byte[] joined) {
    int half = joined.length / 2;
    byte[] r = new BigInteger(1, Arrays.copyOfRange(joined, 0, half)).toByteArray();
    byte[] s = new BigInteger(1, Arrays.copyOfRange(joined, half, joined.length)).toByteArray();
    int length = 2 + r.length + 2 + s.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    if (length > 127) {
      out.write(0x81);
    }
    out.write(length);
    out.write(0x02);
    out.write(r.length);
    out.writeBytes(r);
    out.write(0x02);
    out.write(s.length);
    out.writeBytes(s);
    return out.toByteArray();
  }
}
