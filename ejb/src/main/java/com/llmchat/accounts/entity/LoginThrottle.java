package com.llmchat.accounts.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Failed logins of one subject (an account name or a client address) in the current window. Too
 * many failures lock the subject out until the lock expires, whatever password comes next.
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
}
