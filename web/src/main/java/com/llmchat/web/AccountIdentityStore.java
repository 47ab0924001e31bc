package com.llmchat.web;

import com.llmchat.accounts.boundary.Accounts;
import com.llmchat.accounts.boundary.DirectoryUnavailableException;
import com.llmchat.accounts.boundary.LoginLockedException;
import com.llmchat.edge.ClientAddresses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashSet;

/**
 * The UI's identity store is the accounts component itself: the same users, passwords, throttling
 * and audit as the API's login. There is no second user table.
 */
@ApplicationScoped
public class AccountIdentityStore implements IdentityStore {

  /** Request attribute telling the login page that the login is locked, and until when. */
  public static final String LOCKED_UNTIL = "llmchat.login.lockedUntil";

  /** Request attribute telling the login page that the company directory did not answer. */
  public static final String DIRECTORY_UNAVAILABLE = "llmchat.login.directoryUnavailable";

  @Inject Accounts accounts;
  @Inject HttpServletRequest request;

  @Override
  public CredentialValidationResult validate(Credential credential) {
    if (credential instanceof VerifiedLogin verified) {
      return new CredentialValidationResult(verified.username(), verified.roles());
    }
    if (!(credential instanceof UsernamePasswordCredential login)) {
      return CredentialValidationResult.NOT_VALIDATED_RESULT;
    }
    try {
      return accounts
          .authenticate(login.getCaller(), login.getPasswordAsString(), ClientAddresses.of(request))
          .map(
              account ->
                  new CredentialValidationResult(
                      account.username(), new HashSet<>(account.role().groups())))
          .orElse(CredentialValidationResult.INVALID_RESULT);
    } catch (LoginLockedException e) {
      request.setAttribute(LOCKED_UNTIL, e.until());
      return CredentialValidationResult.INVALID_RESULT;
    } catch (DirectoryUnavailableException e) {
      request.setAttribute(DIRECTORY_UNAVAILABLE, Boolean.TRUE);
      return CredentialValidationResult.INVALID_RESULT;
    }
  }
}
