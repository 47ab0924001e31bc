package com.llmchat.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The configured password policy and hashing cost. */
@ApplicationScoped
public class Passwords {

  /**
   * A hash of a random password, verified when an unknown user logs in, so timing tells nothing.
   */
  private static final String DECOY =
      PasswordHash.hash(PasswordHash.randomPassword(), PasswordHash.DEFAULT_ITERATIONS);

  @Inject
  @ConfigProperty(name = "llmchat.password.min-length", defaultValue = "10")
  int minLength;

  @Inject
  @ConfigProperty(name = "llmchat.password.iterations", defaultValue = "600000")
  int iterations;

  public Optional<String> violation(String username, String password) {
    return new PasswordPolicy(minLength).violation(username, password);
  }

  public String hash(String password) {
    return PasswordHash.hash(password, Math.max(iterations, PasswordHash.DEFAULT_ITERATIONS));
  }

  public boolean verify(String password, String storedHash) {
    return PasswordHash.verify(password, storedHash == null ? DECOY : storedHash);
  }

  public boolean needsRehash(String storedHash) {
    return PasswordHash.needsRehash(
        storedHash, Math.max(iterations, PasswordHash.DEFAULT_ITERATIONS));
  }
}
