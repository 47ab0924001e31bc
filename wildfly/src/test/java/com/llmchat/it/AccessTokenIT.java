package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MicroProfile JWT guards the API: 401 for any token we did not issue exactly as we issue them, 403
 * for the wrong role. Each forged token names a real user, so only its defect can fail it.
 */
class AccessTokenIT extends DeployedEar {

  private static final String ADMIN_ONLY = Platform.APP + "/api/v1/admin/system";
  private static final String USERS = Platform.APP + "/api/v1/models";
  private static TestAccounts.Login user;

  @BeforeAll
  static void realUser() throws Exception {
    user = TestAccounts.sharedUser();
  }

  private static JWTClaimsSet.Builder claimsOfRealUser() {
    return Tokens.claims(user.username(), "user");
  }

  @Test
  void theUsersOwnTokenWorks() throws Exception {
    assertEquals(
        200,
        Platform.get(USERS, Tokens.sign(claimsOfRealUser().build(), Tokens.installationKey()))
            .statusCode());
  }

  @Test
  void noTokenIsUnauthenticated() throws Exception {
    HttpResponse<String> response = Platform.get(USERS, null);
    assertEquals(401, response.statusCode());
    assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(""));
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
  }

  @Test
  void garbageTokenIsUnauthenticated() throws Exception {
    assertEquals(401, Platform.get(USERS, "not.a.token").statusCode());
  }

  @Test
  void unsignedAlgNoneTokenIsUnauthenticated() throws Exception {
    String none = new PlainJWT(claimsOfRealUser().build()).serialize();
    assertEquals(401, Platform.get(USERS, none).statusCode());
  }

  @Test
  void hs256SignedWithThePublicKeyIsUnauthenticated() throws Exception {
    // the classic algorithm confusion: the public key used as an HMAC secret
    byte[] publicKey = Files.readAllBytes(Platform.dataDir().resolve("keys/jwt-public.pem"));
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
            claimsOfRealUser().build());
    jwt.sign(new MACSigner(publicKey));
    assertEquals(401, Platform.get(USERS, jwt.serialize()).statusCode());
    assertTrue(new String(publicKey, StandardCharsets.US_ASCII).contains("PUBLIC KEY"));
  }

  @Test
  void tokenSignedByAnotherKeyIsUnauthenticated() throws Exception {
    String forged =
        Tokens.sign(Tokens.claims(user.username(), "user", "admin").build(), Tokens.foreignKey());
    assertEquals(401, Platform.get(ADMIN_ONLY, forged).statusCode());
  }

  @Test
  void tokenWithTamperedPayloadIsUnauthenticated() throws Exception {
    String[] parts = Tokens.sign(claimsOfRealUser().build(), Tokens.installationKey()).split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("\"user\"", "\"admin\"");
    String tampered =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    assertEquals(401, Platform.get(ADMIN_ONLY, tampered).statusCode());
  }

  @Test
  void expiredBeyondTheSkewIsUnauthenticated() throws Exception {
    Instant past = Instant.now().minusSeconds(120); // the server tolerates 30 s
    JWTClaimsSet claims =
        claimsOfRealUser()
            .issueTime(Date.from(past.minusSeconds(600)))
            .expirationTime(Date.from(past))
            .build();
    assertEquals(
        401, Platform.get(USERS, Tokens.sign(claims, Tokens.installationKey())).statusCode());
  }

  @Test
  void tokenFromAnotherIssuerIsUnauthenticated() throws Exception {
    JWTClaimsSet claims = claimsOfRealUser().issuer("https://evil.example").build();
    assertEquals(
        401, Platform.get(USERS, Tokens.sign(claims, Tokens.installationKey())).statusCode());
  }

  @Test
  void tokenForAnotherAudienceIsUnauthenticated() throws Exception {
    JWTClaimsSet claims = claimsOfRealUser().audience("another-service").build();
    assertEquals(
        401, Platform.get(USERS, Tokens.sign(claims, Tokens.installationKey())).statusCode());
  }

  @Test
  void tokenOfAnUnknownUserIsUnauthenticated() throws Exception {
    JWTClaimsSet claims = Tokens.claims("nobody-" + System.nanoTime(), "user", "admin").build();
    assertEquals(
        401, Platform.get(ADMIN_ONLY, Tokens.sign(claims, Tokens.installationKey())).statusCode());
  }

  @Test
  void userIsForbiddenFromAdministration() throws Exception {
    HttpResponse<String> response = Platform.get(ADMIN_ONLY, Tokens.user());
    assertEquals(403, response.statusCode());
    assertTrue(
        Json.object(response.body()).getString("type").endsWith("/forbidden"), response.body());
  }

  @Test
  void adminMayAdminister() throws Exception {
    assertEquals(200, Platform.get(ADMIN_ONLY, Tokens.admin()).statusCode());
  }
}
