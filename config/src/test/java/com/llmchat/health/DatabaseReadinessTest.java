package com.llmchat.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which failures the readiness probe tries once more, on a new connection. */
class DatabaseReadinessTest {

  @ParameterizedTest
  @CsvSource({
    "08006, true",
    "08003, true",
    "08001, true",
    "57P01, true",
    "57P02, true",
    "57P03, true",
    "57P04, false",
    "57014, false",
    "42P01, false",
    "28P01, false",
    "'', false"
  })
  void aLostConnectionIsTriedAgain(String state, boolean lost) {
    assertEquals(lost, DatabaseReadiness.connectionLost(new SQLException("x", state)));
  }

  @ParameterizedTest
  @CsvSource({"08006, true", "42P01, false"})
  void theNextExceptionsCount(String next, boolean lost) {
    SQLException outer = new SQLException("batch", "XX000");
    outer.setNextException(new SQLException("cause", next));
    assertEquals(lost, DatabaseReadiness.connectionLost(outer));
  }

  @Test
  void noStateIsNotALostConnection() {
    assertEquals(false, DatabaseReadiness.connectionLost(new SQLException("no state")));
  }
}
