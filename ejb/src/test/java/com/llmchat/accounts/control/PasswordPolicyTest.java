package com.llmchat.accounts.control;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

  private final PasswordPolicy policy = new PasswordPolicy(10);

  @Test
  void tooShortIsRefused() {
    assertTrue(policy.violation("alice", "short1234").isPresent());
  }

  @Test
  void containingTheUsernameIsRefusedWhateverTheCase() {
    assertTrue(policy.violation("alice", "ALICE-is-great-2026").isPresent());
  }

  @Test
  void shortUsernamesOnlyForbidThemselves() {
    assertTrue(policy.violation("li", "climbing lilies 7").isEmpty());
    assertTrue(new PasswordPolicy(8).violation("zhangwei", "ZhangWei").isPresent());
  }

  @Test
  void longEnoughAndUnrelatedIsAccepted() {
    assertTrue(policy.violation("alice", "violet sunrise 42").isEmpty());
  }

  @Test
  void absurdlyLongIsRefused() {
    assertTrue(policy.violation("alice", "x".repeat(257)).isPresent());
  }

  @Test
  void policyCannotBeWeakenedBelowEight() {
    assertThrows(IllegalArgumentException.class, () -> new PasswordPolicy(6));
  }
}
