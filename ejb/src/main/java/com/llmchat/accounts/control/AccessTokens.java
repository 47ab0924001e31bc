package com.llmchat.accounts.control;

import com.llmchat.accounts.entity.Account;
import com.llmchat.json.JsonFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Issues the short-lived RS256 access tokens that MicroProfile JWT verifies: {@code iss}, {@code
 * aud}, {@code sub} (account id), {@code upn} (username), {@code groups}, {@code iat}, {@code exp}.
 */
@ApplicationScoped
public class AccessTokens {

  /** A signed token and how many seconds it lives. */
  public record Issued(String token, long expiresInSeconds) {}

  private static final int MAX_MINUTES = 15;
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER =
      B64URL.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  @Inject TokenKeys keys;

  @Inject
  @ConfigProperty(name = "llmchat.jwt.issuer")
  String issuer;

  @Inject
  @ConfigProperty(name = "llmchat.jwt.audience")
  String audience;

  @Inject
  @ConfigProperty(name = "llmchat.jwt.access-token-minutes", defaultValue = "10")
  int minutes;

  public Issued issue(Account account) {
    long lifetime = Math.min(Math.max(minutes, 1), MAX_MINUTES) * 60L;
    long now = Instant.now().getEpochSecond();
    JsonArrayBuilder groups = JsonFactory.array();
    account.role().groups().forEach(groups::add);
    String claims =
        JsonFactory.object()
            .add("iss", issuer)
            .add("aud", audience)
            .add("sub", String.valueOf(account.id()))
            .add("upn", account.username())
            .add("groups", groups)
            .add("iat", now)
            .add("exp", now + lifetime)
            .add("jti", UUID.randomUUID().toString())
            .build()
            .toString();
    String signingInput =
        HEADER + "." + B64URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(keys.signingKey());
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return new Issued(signingInput + "." + B64URL.encodeToString(rsa.sign()), lifetime);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign an access token", e);
    }
  }
}
