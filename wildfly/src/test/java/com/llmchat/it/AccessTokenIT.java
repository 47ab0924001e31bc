package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** MicroProfile JWT guards the API: 401 for any token we did not issue, 403 for the wrong role. */
class AccessTokenIT extends DeployedEar {

  private static final String ADMIN_ONLY = Platform.APP + "/api/v1/admin/system";
  private static final String USERS = Platform.APP + "/api/v1/models";

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
  void tokenSignedByAnotherKeyIsUnauthenticated() throws Exception {
    String forged =
        Tokens.sign(Tokens.claims("mallory", "user", "admin").build(), Tokens.foreignKey());
    assertEquals(401, Platform.get(ADMIN_ONLY, forged).statusCode());
  }

  @Test
  void tokenWithTamperedPayloadIsUnauthenticated() throws Exception {
    String[] parts = Tokens.user().split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"user\"", "\"admin\"");
    String tampered =
        parts[0]
            + "."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
            + "."
            + parts[2];
    assertEquals(401, Platform.get(ADMIN_ONLY, tampered).statusCode());
  }

  @Test
  void expiredTokenIsUnauthenticated() throws Exception {
    Instant past = Instant.now().minusSeconds(3600);
    JWTClaimsSet claims =
        Tokens.claims("alice", "user")
            .issueTime(Date.from(past.minusSeconds(600)))
            .expirationTime(Date.from(past))
            .build();
    assertEquals(
        401, Platform.get(USERS, Tokens.sign(claims, Tokens.installationKey())).statusCode());
  }

  @Test
  void tokenFromAnotherIssuerIsUnauthenticated() throws Exception {
    JWTClaimsSet claims = Tokens.claims("alice", "user").issuer("https://evil.example").build();
    assertEquals(
        401, Platform.get(USERS, Tokens.sign(claims, Tokens.installationKey())).statusCode());
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

  @Test
  void userMayListModels() throws Exception {
    assertEquals(200, Platform.get(USERS, Tokens.user()).statusCode());
  }
}
