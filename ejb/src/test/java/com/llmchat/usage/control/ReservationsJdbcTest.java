package com.llmchat.usage.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReservationsJdbcTest {

  @Test
  void numberedParametersBecomePlaceholdersInTheOrderTheyAppear() {
    var jdbc = Reservations.Jdbc.of("select cast(?1 as text), ?12 + ?2 where a = ?1 and b = ?12");
    assertEquals("select cast(? as text), ? + ? where a = ? and b = ?", jdbc.sql());
    assertArrayEquals(new int[] {1, 12, 2, 1, 12}, jdbc.order());
  }
}
