package com.llmchat.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ForeignKeyOrderTest {

  @Test
  void parentsComeBeforeTheirChildrenAndSelfReferencesDoNotBlock() {
    var order =
        ForeignKeyOrder.sort(
            Set.of("message", "conversation", "account", "model", "provider"),
            Map.of(
                "message", Set.of("conversation", "message"),
                "conversation", Set.of("account"),
                "model", Set.of("provider"),
                "provider", Set.of("account")));
    assertEquals(List.of("account", "conversation", "message", "provider", "model"), order);
  }

  @Test
  void tablesOutsideTheSetDoNotMatter() {
    assertEquals(List.of("b"), ForeignKeyOrder.sort(Set.of("b"), Map.of("b", Set.of("elsewhere"))));
  }

  @Test
  void aCycleIsReported() {
    assertThrows(
        IllegalStateException.class,
        () -> ForeignKeyOrder.sort(Set.of("a", "b"), Map.of("a", Set.of("b"), "b", Set.of("a"))));
  }
}
