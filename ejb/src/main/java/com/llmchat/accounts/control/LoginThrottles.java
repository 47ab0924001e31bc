package com.llmchat.accounts.control;

import com.llmchat.accounts.entity.LoginThrottle;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Brute-force protection. Failures are counted per account name from one client address and per
 * client address, and too many in the window lock that pair or that address out for a while; per
 * account name from anywhere they only space attempts out with a capped, doubling delay. So
 * guessing stays slow from any number of addresses, while nobody elsewhere can lock a user out.
 * Counting happens in its own transaction, so a failed login is counted though the login changes
 * nothing.
 */
@Stateless
public class LoginThrottles {

  @PersistenceContext EntityManager em;

  @Inject
  @ConfigProperty(name = "llmchat.login.max-failures", defaultValue = "5")
  int maxAccountFailures;

  @Inject
  @ConfigProperty(name = "llmchat.login.max-failures-per-address", defaultValue = "20")
  int maxAddressFailures;

  @Inject
  @ConfigProperty(name = "llmchat.login.window-seconds", defaultValue = "900")
  long windowSeconds;

  @Inject
  @ConfigProperty(name = "llmchat.login.lock-seconds", defaultValue = "900")
  long lockSeconds;

  @Inject
  @ConfigProperty(name = "llmchat.login.backoff-after", defaultValue = "10")
  int backoffAfter;

  @Inject
  @ConfigProperty(name = "llmchat.login.backoff-max-seconds", defaultValue = "60")
  long backoffMaxSeconds;

  /** The latest lock among the subjects, if any is locked now. */
  public Optional<OffsetDateTime> lockedUntil(List<String> subjects) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return subjects.stream()
        .map(subject -> em.find(LoginThrottle.class, subject))
        .filter(Objects::nonNull)
        .filter(throttle -> throttle.isLocked(now))
        .map(LoginThrottle::lockedUntil)
        .max(OffsetDateTime::compareTo);
  }

  /**
   * Counts a failure of an account name from a client address: for the pair, for the address (when
   * known) and for the account name from anywhere. True when the pair or the address locks now.
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public boolean recordFailure(String usernameKey, String clientIp) {
    boolean pairLocked =
        count(LoginThrottle.ofAccountFrom(usernameKey, clientIp), maxAccountFailures);
    boolean addressLocked =
        clientIp != null && count(LoginThrottle.ofAddress(clientIp), maxAddressFailures);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    row(LoginThrottle.ofAccount(usernameKey), now)
        .recordFailureWithBackoff(
            now,
            Duration.ofSeconds(windowSeconds),
            backoffAfter,
            Duration.ofSeconds(1),
            Duration.ofSeconds(backoffMaxSeconds));
    return pairLocked || addressLocked;
  }

  /** After a successful login: the pair and the account name start afresh. */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public void succeeded(String usernameKey, String clientIp) {
    clear(LoginThrottle.ofAccountFrom(usernameKey, clientIp));
    clear(LoginThrottle.ofAccount(usernameKey));
  }

  private void clear(String subject) {
    LoginThrottle throttle = em.find(LoginThrottle.class, subject);
    if (throttle != null) {
      em.remove(throttle);
    }
  }

  private boolean count(String subject, int maxFailures) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return row(subject, now)
        .recordFailure(
            now, Duration.ofSeconds(windowSeconds), maxFailures, Duration.ofSeconds(lockSeconds));
  }

  /** The subject's row, created when missing, locked for this transaction. */
  private LoginThrottle row(String subject, OffsetDateTime now) {
    // two failures at once must not both insert the row
    em.createNativeQuery(
            "insert into login_throttle (subject, failures, window_started) values (?, 0, ?)"
                + " on conflict (subject) do nothing")
        .setParameter(1, subject)
        .setParameter(2, now)
        .executeUpdate();
    return em.find(LoginThrottle.class, subject, LockModeType.PESSIMISTIC_WRITE);
  }
}
