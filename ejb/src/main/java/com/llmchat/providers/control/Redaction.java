package com.llmchat.providers.control;

import java.util.regex.Pattern;

/**
 * Takes what looks like a credential out of text a model server wrote (error bodies, error events),
 * before it is logged or shown: {@code sk-…} keys, {@code Bearer …} tokens, and values of key-like
 * parameters ({@code api_key=…}, {@code "token": "…"}).
 */
public final class Redaction {

  private static final String HIDDEN = "…";
  private static final Pattern SK_KEY = Pattern.compile("\\b(sk|pk|rk)-[A-Za-z0-9_\\-]{6,}");
  private static final Pattern BEARER =
      Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=\\-]{4,}");
  private static final Pattern PARAMETER =
      Pattern.compile(
          "(?i)((?:api[_-]?key|access[_-]?token|token|secret|password|authorization|key)"
              + "\"?\\s*[=:]\\s*\"?)(?!(?:bearer|basic)\\s|…)[^\\s\"&,;}]{3,}");

  private Redaction() {}

  /** The text with every credential-like part replaced by an ellipsis; null stays null. */
  public static String secrets(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String redacted = SK_KEY.matcher(text).replaceAll("$1-" + HIDDEN);
    redacted = BEARER.matcher(redacted).replaceAll("$1 " + HIDDEN);
    return PARAMETER.matcher(redacted).replaceAll("$1" + HIDDEN);
  }
}
