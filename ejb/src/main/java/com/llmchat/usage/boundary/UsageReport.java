package com.llmchat.usage.boundary;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The usage of a period summed for a dashboard: every day of the period (also the idle ones), each
 * model, and the users who used the most tokens.
 */
public record UsageReport(
    LocalDate from,
    LocalDate to,
    Tokens total,
    Map<LocalDate, Tokens> perDay,
    Map<String, Tokens> perModel,
    Map<String, Tokens> topUsers) {

  /** Requests and tokens; {@code total()} counts prompt and completion tokens. */
  public record Tokens(long requests, long promptTokens, long completionTokens) {

    static final Tokens NONE = new Tokens(0, 0, 0);

    public long total() {
      return promptTokens + completionTokens;
    }

    Tokens plus(Usage.Day day) {
      return new Tokens(
          requests + day.requests(),
          promptTokens + day.promptTokens(),
          completionTokens + day.completionTokens());
    }
  }

  public static UsageReport of(LocalDate from, LocalDate to, List<Usage.Day> days, int topUsers) {
    Tokens total = Tokens.NONE;
    Map<LocalDate, Tokens> perDay = new TreeMap<>();
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      perDay.put(day, Tokens.NONE);
    }
    Map<String, Tokens> perModel = new TreeMap<>();
    Map<String, Tokens> perUser = new TreeMap<>();
    for (Usage.Day day : days) {
      total = total.plus(day);
      perDay.compute(day.day(), (key, sum) -> plus(sum, day));
      perModel.compute(day.model(), (key, sum) -> plus(sum, day));
      perUser.compute(day.username(), (key, sum) -> plus(sum, day));
    }
    return new UsageReport(
        from,
        to,
        total,
        perDay,
        byTokensDescending(perModel, Integer.MAX_VALUE),
        byTokensDescending(perUser, topUsers));
  }

  private static Tokens plus(Tokens sum, Usage.Day day) {
    return (sum == null ? Tokens.NONE : sum).plus(day);
  }

  private static Map<String, Tokens> byTokensDescending(Map<String, Tokens> sums, int limit) {
    Map<String, Tokens> sorted = new LinkedHashMap<>();
    sums.entrySet().stream()
        .sorted(
            Comparator.comparingLong((Map.Entry<String, Tokens> e) -> e.getValue().total())
                .reversed()
                .thenComparing(Map.Entry::getKey))
        .limit(limit)
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }
}
