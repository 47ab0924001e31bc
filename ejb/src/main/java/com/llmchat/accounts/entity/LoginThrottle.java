package com.llmchat.accounts.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Failed logins of one subject in the current window: an account name from one client address, a
 * client address, or an account name from anywhere. Too many failures lock the first two out until
 * the lock expires, whatever password comes next; the third only spaces attempts out (a delay that
 * doubles with each failure, capped), so that nobody can lock a user out from elsewhere.
 */
@Entity
@Table(name = "login_throttle")
public class LoginThrottle {

  @Id
  @Column(length = 200)
  private String subject;

  @Column(nullable = false)
  private int failures;

  @Column(name = "window_started", nullable = false)
  private OffsetDateTime windowStarted;

  @Column(name = "locked_until")
  private OffsetDateTime lockedUntil;

  protected LoginThrottle() {}

  public LoginThrottle(String subject, OffsetDateTime now) {
    this.subject = subject;
    this.windowStarted = now;
  }

  public static String ofAccount(String usernameKey) {
    return "account:" + usernameKey;
  }

  public static String ofAddress(String clientIp) {
    return "ip:" + clientIp;
  }

  /** An account name tried from one client address (null: an address that is not known). */
  public static String ofAccountFrom(String usernameKey, String clientIp) {
    return ofAccount(usernameKey) + "@" + (clientIp == null ? "unknown" : clientIp);
  }

  /** The subjects whose locks a login of this account name from this address must respect. */
  public static List<String> subjectsFor(String usernameKey, String clientIp) {
    return clientIp == null
        ? List.of(ofAccountFrom(usernameKey, null), ofAccount(usernameKey))
        : List.of(
            ofAccountFrom(usernameKey, clientIp), ofAddress(clientIp), ofAccount(usernameKey));
  }

  public boolean isLocked(OffsetDateTime now) {
    return lockedUntil != null && now.isBefore(lockedUntil);
  }

  public OffsetDateTime lockedUntil() {
    return lockedUntil;
  }

  /** Counts a failure; returns true when this failure starts a lock. */
  public boolean recordFailure(
      OffsetDateTime now, Duration window, int maxFailures, Duration lock) {
    if (now.isAfter(windowStarted.plus(window)) || (lockedUntil != null && !isLocked(now))) {
      windowStarted = now;
      failures = 0;
      lockedUntil = null;
    }
    failures++;
    if (failures >= maxFailures && !isLocked(now)) {
      lockedUntil = now.plus(lock);
      return true;
    }
    return false;
  }

  /**
   * Counts a failure of an account from anywhere: beyond {@code freeFailures} in the window, the
   * next attempt must wait {@code base} × 2^(failures beyond), at most {@code max}.
   */
  public void recordFailureWithBackoff(
      OffsetDateTime now, Duration window, int freeFailures, Duration base, Duration max) {
    if (now.isAfter(windowStarted.plus(window))) {
      windowStarted = now;
      failures = 0;
      lockedUntil = null;
    }
    failures++;
    int beyond = failures - freeFailures;
    if (beyond > 0) {
      Duration delay = base.multipliedBy(1L << Math.min(beyond - 1, 30));
      lockedUntil = now.plus(delay.compareTo(max) > 0 ? max : delay);
    }
  }
}
