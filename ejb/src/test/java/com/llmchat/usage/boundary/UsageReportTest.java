package com.llmchat.usage.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageReportTest {

  private static final LocalDate MONDAY = LocalDate.of(2026, 11, 16);

  private static Usage.Day day(LocalDate day, String user, String model, long prompt, long reply) {
    return new Usage.Day(day, user, model, 1, prompt, reply, 0, 0, null);
  }

  @Test
  void everyDayOfThePeriodIsThereAndTheSumsAddUp() {
    var report =
        UsageReport.of(
            MONDAY,
            MONDAY.plusDays(2),
            List.of(
                day(MONDAY, "li", "qwen", 10, 5),
                day(MONDAY, "wang", "qwen", 1, 1),
                day(MONDAY.plusDays(2), "li", "glm", 100, 50)),
            10);

    assertEquals(
        List.of(MONDAY, MONDAY.plusDays(1), MONDAY.plusDays(2)),
        List.copyOf(report.perDay().keySet()));
    assertEquals(17, report.perDay().get(MONDAY).total());
    assertEquals(0, report.perDay().get(MONDAY.plusDays(1)).total());
    assertEquals(new UsageReport.Tokens(3, 111, 56), report.total());
    assertEquals(List.of("glm", "qwen"), List.copyOf(report.perModel().keySet()));
  }

  @Test
  void topUsersAreTheBiggestFirstCutAtTheLimit() {
    var report =
        UsageReport.of(
            MONDAY,
            MONDAY,
            List.of(
                day(MONDAY, "small", "m", 1, 0),
                day(MONDAY, "big", "m", 50, 50),
                day(MONDAY, "middle", "m", 10, 0),
                day(MONDAY, "middle", "n", 10, 0)),
            2);

    assertEquals(List.of("big", "middle"), List.copyOf(report.topUsers().keySet()));
    assertEquals(2, report.topUsers().get("middle").requests());
  }
}
