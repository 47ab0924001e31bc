package com.llmchat.platform.control;

import java.util.Locale;

/** A case-insensitive {@code like} pattern matching text that contains what a user typed. */
public final class Containing {

  private Containing() {}

  /** {@code %text%} in lower case with {@code \ % _} escaped (PostgreSQL's default escape). */
  public static String pattern(String text) {
    String typed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    return "%" + typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }
}
