package com.llmchat.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

  @Test
  void verifiesTheRightPasswordOnly() {
    String stored = PasswordHash.hash("correct horse battery", 1_000);
    assertTrue(PasswordHash.verify("correct horse battery", stored));
    assertFalse(PasswordHash.verify("correct horse batterY", stored));
  }

  @Test
  void samePasswordGetsADifferentSaltEachTime() {
    assertNotEquals(
        PasswordHash.hash("same password", 1_000), PasswordHash.hash("same password", 1_000));
  }

  @Test
  void parametersAreStoredInTheHash() {
    String stored = PasswordHash.hash("x".repeat(12), 1_234);
    assertTrue(stored.startsWith("pbkdf2-sha256$1234$"), stored);
    assertEquals(4, stored.split("\\$").length);
  }

  @Test
  void weakerHashesAskForRehash() {
    String stored = PasswordHash.hash("x".repeat(12), 1_000);
    assertTrue(PasswordHash.needsRehash(stored, 600_000));
    assertFalse(PasswordHash.needsRehash(stored, 1_000));
  }

  @Test
  void foreignOrBrokenHashesNeverVerify() {
    assertFalse(PasswordHash.verify("anything", "$2a$10$abcdefghijklmnopqrstuv"));
    assertFalse(PasswordHash.verify("anything", "pbkdf2-sha256$notanumber$AAAA$AAAA"));
    assertFalse(PasswordHash.verify("anything", null));
  }

  @Test
  void defaultCostFollowsOwasp() {
    assertTrue(PasswordHash.DEFAULT_ITERATIONS >= 600_000);
  }

  @Test
  void randomPasswordsAreLongAndDiffer() {
    String one = PasswordHash.randomPassword();
    assertEquals(20, one.length());
    assertNotEquals(one, PasswordHash.randomPassword());
  }
}
