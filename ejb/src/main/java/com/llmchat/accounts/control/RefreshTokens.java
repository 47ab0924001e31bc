package com.llmchat.accounts.control;

import com.llmchat.accounts.entity.Account;
import com.llmchat.accounts.entity.RefreshToken;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Refresh tokens: random values handed out once, kept only as their SHA-256. */
@Stateless
public class RefreshTokens {

  private static final SecureRandom RANDOM = new SecureRandom();

  @PersistenceContext EntityManager em;

  @Inject
  @ConfigProperty(name = "llmchat.jwt.refresh-token-days", defaultValue = "14")
  int days;

  /** Issues a token in the family (a new family for a new login). */
  public String issue(Account account, String family) {
    byte[] value = new byte[32];
    RANDOM.nextBytes(value);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    em.persist(new RefreshToken(account, family, hash(token), now, now.plusDays(days)));
    return token;
  }

  /** The stored token for a presented value, locked against a concurrent exchange. */
  public Optional<RefreshToken> find(String token) {
    if (token == null || token.isBlank() || token.length() > 200) {
      return Optional.empty();
    }
    return em.createNamedQuery(RefreshToken.BY_HASH, RefreshToken.class)
        .setParameter("hash", hash(token))
        .setLockMode(LockModeType.PESSIMISTIC_WRITE)
        .getResultStream()
        .findFirst();
  }

  public void revokeFamily(String family) {
    em.createNamedQuery(RefreshToken.REVOKE_FAMILY)
        .setParameter("family", family)
        .setParameter("now", OffsetDateTime.now(ZoneOffset.UTC))
        .executeUpdate();
  }

  public void revokeAll(Account account) {
    em.createNamedQuery(RefreshToken.REVOKE_ACCOUNT)
        .setParameter("account", account)
        .setParameter("now", OffsetDateTime.now(ZoneOffset.UTC))
        .executeUpdate();
  }

  public void deleteAll(Account account) {
    em.createNamedQuery(RefreshToken.DELETE_ACCOUNT)
        .setParameter("account", account)
        .executeUpdate();
  }

  static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
