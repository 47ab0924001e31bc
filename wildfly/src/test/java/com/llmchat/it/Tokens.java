package com.llmchat.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/** Access tokens as LLM Chat issues them, and deliberately broken ones. */
final class Tokens {

  private Tokens() {}

  static JWTClaimsSet.Builder claims(String subject, String... groups) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer("llmchat")
        .audience("llmchat")
        .subject(subject)
        .claim("upn", subject)
        .claim("groups", List.of(groups))
        .jwtID(UUID.randomUUID().toString())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(600)));
  }

  /** An access token of a real user, for the tests that are not about accounts. */
  static String user() {
    try {
      return TestAccounts.sharedUser().accessToken();
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static String admin() {
    try {
      return TestAccounts.admin().accessToken();
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sign(JWTClaimsSet claims, PrivateKey key) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The private key the server generated at first start into its data dir. */
  static PrivateKey installationKey() {
    try {
      String pem = Files.readString(Platform.dataDir().resolve("keys/jwt-private.pem"));
      String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      return KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (IOException | NoSuchAlgorithmException | InvalidKeySpecException e) {
      throw new IllegalStateException("cannot read the installation's signing key", e);
    }
  }

  static PrivateKey foreignKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair().getPrivate();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
