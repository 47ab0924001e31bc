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
 * Brute-force protection: failures are counted per account name and per client address; too many in
 * the window lock the subject out for a while. Counting happens in its own transaction, so a failed
 * login is counted even though the login itself changes nothing.
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

  /** Counts a failure for the account name and the address; true when a lock starts now. */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public boolean recordFailure(String accountSubject, String addressSubject) {
    boolean accountLocked = count(accountSubject, maxAccountFailures);
    boolean addressLocked = addressSubject != null && count(addressSubject, maxAddressFailures);
    return accountLocked || addressLocked;
  }

  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public void clear(String subject) {
    LoginThrottle throttle = em.find(LoginThrottle.class, subject);
    if (throttle != null) {
      em.remove(throttle);
    }
  }

  private boolean count(String subject, int maxFailures) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    // two failures at once must not both insert the row
    em.createNativeQuery(
            "insert into login_throttle (subject, failures, window_started) values (?, 0, ?)"
                + " on conflict (subject) do nothing")
        .setParameter(1, subject)
        .setParameter(2, now)
        .executeUpdate();
    LoginThrottle throttle = em.find(LoginThrottle.class, subject, LockModeType.PESSIMISTIC_WRITE);
    return throttle.recordFailure(
        now, Duration.ofSeconds(windowSeconds), maxFailures, Duration.ofSeconds(lockSeconds));
  }
}
