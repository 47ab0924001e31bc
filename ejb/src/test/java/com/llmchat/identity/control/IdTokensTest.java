package com.llmchat.identity.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.llmchat.identity.control.IdTokens.InvalidTokenException;
import com.llmchat.json.JsonFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdTokensTest {

  private static final String ISSUER = "https://sso.corp.test/realms/staff";
  private static final String CLIENT = "llmchat";
  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private static final KeyPair RSA = pair("RSA", null);
  private static final KeyPair OTHER_RSA = pair("RSA", null);
  private static final KeyPair EC = pair("EC", "secp256r1");

  private static KeyPair pair(String algorithm, String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (curve == null) {
        generator.initialize(2048);
      } else {
        generator.initialize(new ECGenParameterSpec(curve));
      }
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > length && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    byte[] padded = new byte[Math.max(length, bytes.length)];
    System.arraycopy(bytes, 0, padded, padded.length - bytes.length, bytes.length);
    return B64.encodeToString(padded);
  }

  private static List<IdTokens.Key> keys() throws InvalidTokenException {
    RSAPublicKey rsa = (RSAPublicKey) RSA.getPublic();
    ECPublicKey ec = (ECPublicKey) EC.getPublic();
    JsonObject jwks =
        JsonFactory.object()
            .add(
                "keys",
                JsonFactory.array()
                    .add(
                        JsonFactory.object()
                            .add("kty", "RSA")
                            .add("kid", "rsa-1")
                            .add("use", "sig")
                            .add("n", b64(rsa.getModulus(), 0))
                            .add("e", b64(rsa.getPublicExponent(), 0)))
                    .add(
                        JsonFactory.object()
                            .add("kty", "EC")
                            .add("kid", "ec-1")
                            .add("crv", "P-256")
                            .add("x", b64(ec.getW().getAffineX(), 32))
                            .add("y", b64(ec.getW().getAffineY(), 32)))
                    .add(
                        JsonFactory.object()
                            .add("kty", "RSA")
                            .add("kid", "enc-1")
                            .add("use", "enc")
                            .add("n", b64(rsa.getModulus(), 0))
                            .add("e", b64(rsa.getPublicExponent(), 0)))
                    .add(JsonFactory.object().add("kty", "oct").add("k", "c2VjcmV0")))
            .build();
    return IdTokens.keys(jwks);
  }

  private static JsonObjectBuilder claims() {
    return JsonFactory.object()
        .add("iss", ISSUER)
        .add("aud", CLIENT)
        .add("azp", CLIENT)
        .add("sub", "f81d4fae")
        .add("nonce", "n-0S6_WzA2Mj")
        .add("iat", NOW.getEpochSecond() - 5)
        .add("exp", NOW.getEpochSecond() + 300)
        .add("preferred_username", "lin.wei");
  }

  private static String token(String alg, String kid, JsonObjectBuilder claims, PrivateKey key)
      throws Exception {
    String header =
        B64.encodeToString(
            JsonFactory.object()
                .add("alg", alg)
                .add("kid", kid)
                .build()
                .toString()
                .getBytes(StandardCharsets.UTF_8));
    String body = B64.encodeToString(claims.build().toString().getBytes(StandardCharsets.UTF_8));
    String signed = header + "." + body;
    if (key == null) {
      return signed + ".";
    }
    Signature signature =
        Signature.getInstance(alg.startsWith("ES") ? "SHA256withECDSA" : "SHA256withRSA");
    signature.initSign(key);
    signature.update(signed.getBytes(StandardCharsets.US_ASCII));
    byte[] bytes = signature.sign();
    return signed + "." + B64.encodeToString(alg.startsWith("ES") ? jose(bytes) : bytes);
  }

  /** DER (Java's ECDSA output) to JOSE's r || s, 32 bytes each. */
  private static byte[] jose(byte[] der) {
    int offset = der[1] == (byte) 0x81 ? 3 : 2;
    int rLength = der[offset + 1];
    byte[] r = Arrays.copyOfRange(der, offset + 2, offset + 2 + rLength);
    int sStart = offset + 2 + rLength;
    byte[] s = Arrays.copyOfRange(der, sStart + 2, sStart + 2 + der[sStart + 1]);
    byte[] out = new byte[64];
    byte[] rTrim = r.length > 32 ? Arrays.copyOfRange(r, r.length - 32, r.length) : r;
    byte[] sTrim = s.length > 32 ? Arrays.copyOfRange(s, s.length - 32, s.length) : s;
    System.arraycopy(rTrim, 0, out, 32 - rTrim.length, rTrim.length);
    System.arraycopy(sTrim, 0, out, 64 - sTrim.length, sTrim.length);
    return out;
  }

  private static String refusal(String token) {
    return assertThrows(
            InvalidTokenException.class,
            () -> IdTokens.verify(token, keys(), ISSUER, CLIENT, "n-0S6_WzA2Mj", NOW))
        .getMessage();
  }

  @Test
  void signingKeysAreReadAndEncryptionOrSharedKeysLeftOut() throws Exception {
    assertEquals(
        Set.of("rsa-1", "ec-1"), Set.copyOf(keys().stream().map(IdTokens.Key::kid).toList()));
  }

  @Test
  void aGoodTokenSignedWithRs256OrEs256IsAccepted() throws Exception {
    JsonObject rsa =
        IdTokens.verify(
            token("RS256", "rsa-1", claims(), RSA.getPrivate()),
            keys(),
            ISSUER,
            CLIENT,
            "n-0S6_WzA2Mj",
            NOW);
    assertEquals("lin.wei", rsa.getString("preferred_username"));
    JsonObject ec =
        IdTokens.verify(
            token("ES256", "ec-1", claims(), EC.getPrivate()),
            keys(),
            ISSUER,
            CLIENT,
            "n-0S6_WzA2Mj",
            NOW);
    assertEquals("f81d4fae", ec.getString("sub"));
  }

  @Test
  void everyCheckRefusesWhatItShould() throws Exception {
    assertTrue(
        refusal(
                token(
                    "RS256",
                    "rsa-1",
                    claims().add("iss", "https://other/realms/x"),
                    RSA.getPrivate()))
            .contains("issued by"));
    assertTrue(
        refusal(token("RS256", "rsa-1", claims().add("aud", "another-app"), RSA.getPrivate()))
            .contains("is for"));
    assertTrue(
        refusal(
                token(
                    "RS256",
                    "rsa-1",
                    claims().add("aud", JsonFactory.array().add(CLIENT).add("x")).add("azp", "x"),
                    RSA.getPrivate()))
            .contains("requested by"));
    assertTrue(
        refusal(
                token(
                    "RS256",
                    "rsa-1",
                    claims().add("exp", NOW.getEpochSecond() - 120),
                    RSA.getPrivate()))
            .contains("expired"));
    assertTrue(
        refusal(
                token(
                    "RS256",
                    "rsa-1",
                    claims().add("iat", NOW.getEpochSecond() + 600),
                    RSA.getPrivate()))
            .contains("future"));
    assertTrue(
        refusal(token("RS256", "rsa-1", claims().add("nonce", "replayed"), RSA.getPrivate()))
            .contains("nonce"));
    assertTrue(refusal(token("none", "rsa-1", claims(), null)).contains("not accepted"));
    assertTrue(refusal(token("HS256", "rsa-1", claims(), null)).contains("not accepted"));
    assertTrue(
        refusal(token("RS256", "rsa-1", claims(), OTHER_RSA.getPrivate())).contains("signature"),
        "a key that is not the provider's");
    String good = token("RS256", "rsa-1", claims(), RSA.getPrivate());
    String[] parts = good.split("\\.");
    String tampered =
        parts[0]
            + "."
            + B64.encodeToString(
                claims()
                    .add("preferred_username", "admin")
                    .build()
                    .toString()
                    .getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    assertTrue(refusal(tampered).contains("signature"));
    assertTrue(refusal("not.a-token").contains("JWT") || refusal("not.a-token").contains("JSON"));
  }

  @Test
  void groupPathsMatchByNameToo() {
    assertEquals(
        Set.of("/staff/llm users", "llm users", "admins"),
        OidcLogins.groupKeys(List.of("/staff/LLM Users", "admins")));
  }
}
