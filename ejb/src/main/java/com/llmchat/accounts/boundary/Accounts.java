package com.llmchat.accounts.boundary;

import com.llmchat.accounts.boundary.AccountException.Reason;
import com.llmchat.accounts.control.AccessRefusedException;
import com.llmchat.accounts.control.AccessTokens;
import com.llmchat.accounts.control.Callers;
import com.llmchat.accounts.control.Enrolment;
import com.llmchat.accounts.control.InitialAdminPassword;
import com.llmchat.accounts.control.LocalLoginSetting;
import com.llmchat.accounts.control.LoginThrottles;
import com.llmchat.accounts.control.Passwords;
import com.llmchat.accounts.control.RefreshTokens;
import com.llmchat.accounts.control.RegistrationSetting;
import com.llmchat.accounts.entity.Account;
import com.llmchat.accounts.entity.LoginThrottle;
import com.llmchat.accounts.entity.RefreshToken;
import com.llmchat.accounts.entity.Role;
import com.llmchat.audit.boundary.AuditLog;
import com.llmchat.audit.entity.AuditEvent.Outcome;
import com.llmchat.identity.control.DirectoryLogins;
import com.llmchat.settings.boundary.Settings;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Self-service: register, log in, refresh, log out, own profile and password. */
@Stateless
public class Accounts {

  public static final String REGISTRATION_SETTING = RegistrationSetting.NAME;

  /** What a client receives after logging in or refreshing. */
  public record Session(Account account, String accessToken, long expiresIn, String refreshToken) {}

  /** The result of a login attempt; locked carries when the lock ends. */
  public sealed interface LoginResult {
    record Success(Session session) implements LoginResult {}

    record Invalid() implements LoginResult {}

    record Locked(OffsetDateTime until) implements LoginResult {}

    record Unavailable(String why) implements LoginResult {}
  }

  @Inject Passwords passwords;
  @Inject Enrolment enrolment;
  @Inject AccessTokens accessTokens;
  @Inject RefreshTokens refreshTokens;
  @Inject LoginThrottles throttles;
  @Inject Callers callers;
  @Inject AuditLog audit;
  @Inject Settings settings;
  @Inject InitialAdminPassword initialAdminPassword;
  @Inject DirectoryLogins directoryLogins;
  @Inject LocalLoginSetting localLogin;

  @Inject
  @ConfigProperty(name = "llmchat.registration", defaultValue = "closed")
  String registrationDefault;

  public boolean registrationOpen() {
    String value =
        settings.find(REGISTRATION_SETTING).map(s -> s.value()).orElse(registrationDefault);
    return "open".equalsIgnoreCase(value.trim());
  }

  /** An administrator opens or closes self-registration (overrides LLMCHAT_REGISTRATION). */
  public void openRegistration(boolean open) {
    settings.change(REGISTRATION_SETTING, open ? "open" : "closed");
  }

  public Account register(
      String username,
      String password,
      String displayName,
      String email,
      String locale,
      String clientIp) {
    if (!registrationOpen()) {
      audit.record(username, "register", username, Outcome.DENIED, clientIp, "registration closed");
      throw new AccountException(
          Reason.REGISTRATION_CLOSED, "Self-registration is closed; ask an administrator");
    }
    Account account = enrolment.create(username, password, displayName, email, Role.USER, false);
    account.updateProfile(null, account.email(), locale);
    audit.record(
        account.username(), "register", account.username(), Outcome.SUCCESS, clientIp, null);
    return account;
  }

  /**
   * Checks a password, with throttling and audit, without issuing tokens (the UI's login). A local
   * account's password is checked here; any other name goes to the company directories when one is
   * enabled. The bootstrap administrator can always log in locally (break-glass).
   */
  public Optional<Account> authenticate(String typed, String password, String clientIp) {
    // PostgreSQL stores no NUL: such a name is nobody's, and is audited and throttled as typed
    String username = typed == null ? "" : typed.replace('\u0000', '\uFFFD');
    String key = Account.key(username);
    Optional<OffsetDateTime> locked =
        throttles.lockedUntil(LoginThrottle.subjectsFor(key, clientIp));
    if (locked.isPresent()) {
      audit.record(
          username, "login", username, Outcome.DENIED, clientIp, "locked until " + locked.get());
      throw new LoginLockedException(locked.get());
    }
    Optional<Account> account = callers.find(username);
    boolean directories = directoryLogins.anyEnabled();
    if ((account.isEmpty() || !account.get().isLocal()) && directories) {
      return throughDirectory(username, password, clientIp);
    }
    boolean breakGlass = account.isPresent() && localLogin.isBootstrapAdministrator(account.get());
    boolean valid =
        passwords.verify(
                password == null ? "" : password, account.map(Account::passwordHash).orElse(null))
            && account.isPresent()
            && account.get().enabled()
            && account.get().isLocal()
            && (breakGlass || localLogin.allowed());
    if (!valid) {
      String why =
          account.isEmpty()
              ? "unknown user"
              : !account.get().isLocal()
                  ? "the account's directory is not enabled"
                  : !account.get().enabled()
                      ? "account disabled"
                      : !breakGlass && !localLogin.allowed()
                          ? "local logins are turned off"
                          : "wrong password";
      failed(username, key, clientIp, why);
      return Optional.empty();
    }
    throttles.succeeded(key, clientIp);
    Account found = account.get();
    if (passwords.needsRehash(found.passwordHash())) {
      found.rehash(passwords.hash(password));
    }
    found.recordLogin();
    audit.record(found.username(), "login", found.username(), Outcome.SUCCESS, clientIp, null);
    if (breakGlass && directories) {
      audit.record(
          found.username(),
          "break-glass-login",
          found.username(),
          Outcome.SUCCESS,
          clientIp,
          "the bootstrap administrator logged in locally while company directories are enabled");
    }
    return account;
  }

  private Optional<Account> throughDirectory(String username, String password, String clientIp) {
    DirectoryLogins.Result result = directoryLogins.login(username, password, clientIp);
    if (result instanceof DirectoryLogins.Result.LoggedIn in) {
      Account found = in.account();
      throttles.succeeded(Account.key(username), clientIp);
      found.recordLogin();
      audit.record(
          found.username(),
          "login",
          found.username(),
          Outcome.SUCCESS,
          clientIp,
          "directory " + in.directory());
      return Optional.of(found);
    }
    if (result instanceof DirectoryLogins.Result.Unavailable down) {
      audit.record(username, "login", username, Outcome.FAILURE, clientIp, "directory unavailable");
      throw new DirectoryUnavailableException(down.why());
    }
    failed(
        username, Account.key(username), clientIp, ((DirectoryLogins.Result.Refused) result).why());
    return Optional.empty();
  }

  private void failed(String username, String key, String clientIp, String why) {
    boolean lockStarted = throttles.recordFailure(key, clientIp);
    audit.record(username, "login", username, Outcome.FAILURE, clientIp, why);
    if (lockStarted) {
      audit.record(
          username, "login-lockout", username, Outcome.DENIED, clientIp, "too many failed logins");
    }
  }

  /** The API's login: a short-lived access token and a refresh token of a new family. */
  public LoginResult login(String username, String password, String clientIp) {
    try {
      return authenticate(username, password, clientIp)
          .<LoginResult>map(
              account -> new LoginResult.Success(session(account, UUID.randomUUID().toString())))
          .orElseGet(LoginResult.Invalid::new);
    } catch (LoginLockedException e) {
      return new LoginResult.Locked(e.until());
    } catch (DirectoryUnavailableException e) {
      return new LoginResult.Unavailable(e.getMessage());
    }
  }

  /** Exchanges a refresh token for a new pair; a reused token ends its whole family. */
  public Optional<Session> refresh(String token, String clientIp) {
    Optional<RefreshToken> found = refreshTokens.find(token);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    RefreshToken presented = found.get();
    Account account = presented.account();
    if (presented.wasRotated()) {
      refreshTokens.revokeFamily(presented.family());
      audit.record(
          account.username(),
          "refresh-token-reuse",
          account.username(),
          Outcome.DENIED,
          clientIp,
          "a rotated refresh token was presented again; its family is revoked");
      return Optional.empty();
    }
    if (!presented.isCurrent(OffsetDateTime.now(ZoneOffset.UTC)) || !account.enabled()) {
      return Optional.empty();
    }
    presented.rotate(OffsetDateTime.now(ZoneOffset.UTC));
    return Optional.of(session(account, presented.family()));
  }

  /** Ends the login the refresh token belongs to. */
  public void logout(String token, String clientIp) {
    refreshTokens
        .find(token)
        .ifPresent(
            presented -> {
              refreshTokens.revokeFamily(presented.family());
              audit.record(
                  presented.account().username(),
                  "logout",
                  presented.account().username(),
                  Outcome.SUCCESS,
                  clientIp,
                  null);
            });
  }

  public Account me() {
    return callers.current();
  }

  public Account updateProfile(String displayName, String email, String locale) {
    Account account = callers.current();
    try {
      account.updateProfile(displayName, email, locale);
    } catch (IllegalArgumentException e) {
      throw new AccountException(Reason.INVALID, e.getMessage());
    }
    return account;
  }

  /** Changes the caller's own password. Every other session ends; the caller gets a fresh one. */
  public Session changePassword(String currentPassword, String newPassword, String clientIp) {
    Account account = callers.current();
    if (!account.isLocal()) {
      throw new AccountException(
          Reason.MANAGED_ELSEWHERE,
          "this account's password is the company directory's; change it there");
    }
    if (!passwords.verify(currentPassword == null ? "" : currentPassword, account.passwordHash())) {
      throttles.recordFailure(Account.key(account.username()), clientIp);
      audit.record(
          account.username(),
          "password-change",
          account.username(),
          Outcome.FAILURE,
          clientIp,
          "wrong current password");
      throw new AccountException(Reason.WRONG_PASSWORD, "the current password is not correct");
    }
    if (newPassword != null && newPassword.equals(currentPassword)) {
      throw new AccountException(
          Reason.WEAK_PASSWORD, "the new password must differ from the current one");
    }
    passwords
        .violation(account.username(), newPassword)
        .ifPresent(
            reason -> {
              throw new AccountException(Reason.WEAK_PASSWORD, "password " + reason);
            });
    boolean wasOneTime = account.mustChangePassword();
    account.changePassword(passwords.hash(newPassword), false);
    refreshTokens.revokeAll(account);
    if (wasOneTime && account.isAdmin()) {
      initialAdminPassword.discard();
    }
    audit.record(
        account.username(), "password-change", account.username(), Outcome.SUCCESS, clientIp, null);
    return session(account, UUID.randomUUID().toString());
  }

  /**
   * A short-lived access token for the caller of the web UI, so that the page's own scripts can
   * call the REST API (the reply stream) as the user who is logged in; no refresh token.
   */
  public AccessTokens.Issued pageToken() {
    Account account = callers.current();
    if (account.mustChangePassword()) {
      throw new AccessRefusedException(true, "the password must be changed first");
    }
    return accessTokens.issue(account);
  }

  /**
   * Whether an access token of this user, issued then, is still honoured (checked per request). A
   * read alone: outside a transaction it starts none (one round trip, no commit).
   */
  @TransactionAttribute(TransactionAttributeType.SUPPORTS)
  public Optional<Account> status(String username) {
    return callers.find(username);
  }

  private Session session(Account account, String family) {
    AccessTokens.Issued access = accessTokens.issue(account);
    return new Session(
        account, access.token(), access.expiresInSeconds(), refreshTokens.issue(account, family));
  }
}
