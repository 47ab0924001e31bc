package com.llmchat.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyGrantsTest {

  private final ApiKeyGrants grants = new ApiKeyGrants();
  private final OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);

  ApiKeyGrantsTest() {
    grants.cacheSeconds = 30;
  }

  private static ApiKeyGrant grant(long keyId, long accountId, OffsetDateTime expiresAt) {
    return new ApiKeyGrant(keyId, accountId, "user" + accountId, Set.of(), expiresAt);
  }

  @Test
  void aKeptGrantIsFoundUntilItsKeyExpires() {
    grants.keep("h1", grant(1, 10, now.plusMinutes(5)));
    assertEquals(1, grants.find("h1", now).orElseThrow().keyId());
    assertEquals(Optional.empty(), grants.find("h1", now.plusMinutes(5)));
    assertEquals(Optional.empty(), grants.find("h1", now), "an expired grant is dropped");
    assertEquals(Optional.empty(), grants.find("unknown", now));
  }

  @Test
  void revokingAKeyOrChangingItsOwnerDropsTheirGrantsOnly() {
    grants.keep("a", grant(1, 10, null));
    grants.keep("b", grant(2, 10, null));
    grants.keep("c", grant(3, 20, null));
    grants.revoked(new ApiKeyRevoked(1));
    assertTrue(grants.find("a", now).isEmpty());
    assertTrue(grants.find("b", now).isPresent());
    grants.accountChanged(new AccountChanged(10));
    assertTrue(grants.find("b", now).isEmpty());
    assertTrue(grants.find("c", now).isPresent());
  }

  @Test
  void nothingIsKeptWithoutACacheTimeAndUsesAreWrittenOncePerInterval() {
    grants.keep("a", grant(1, 10, null));
    assertFalse(grants.useToWrite("a", Long.MAX_VALUE), "just read: its use was written");
    assertTrue(grants.useToWrite("a", 0));
    assertFalse(grants.useToWrite("unknown", 0));

    grants.cacheSeconds = 0;
    grants.keep("b", grant(2, 10, null));
    assertTrue(grants.find("b", now).isEmpty());
  }
}
