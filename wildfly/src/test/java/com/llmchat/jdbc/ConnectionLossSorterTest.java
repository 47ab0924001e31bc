package com.llmchat.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionLossSorterTest {

  private final ConnectionLossSorter sorter = new ConnectionLossSorter();

  @ParameterizedTest
  @ValueSource(strings = {"08006", "08003", "08001", "08004", "08S01", "57P01", "57P02", "57P03"})
  void aLostConnectionIsFatal(String state) {
    assertTrue(sorter.isExceptionFatal(new SQLException("lost", state)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"23505", "40001", "40P01", "57014", "42P01", "25P02", "P0001"})
  void whatAStatementDidWrongLeavesTheConnection(String state) {
    assertFalse(sorter.isExceptionFatal(new SQLException("statement", state)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5"})
  void noOrAShortStateIsNotFatal(String state) {
    assertFalse(sorter.isExceptionFatal(new SQLException("odd", state.isEmpty() ? null : state)));
  }

  @org.junit.jupiter.api.Test
  void aLossReportedFurtherDownTheChainIsFatal() {
    SQLException batch = new SQLException("batch entry failed", "23505");
    batch.setNextException(new SQLException("An I/O error occurred", "08006"));
    assertTrue(sorter.isExceptionFatal(batch));
  }
}
