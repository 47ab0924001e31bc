package com.llmchat.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every visible string exists in English and Chinese, with the same placeholders. */
class MessageBundlesTest {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d+}");

  @Test
  void bothLanguagesHaveTheSameKeysAndPlaceholders() throws IOException {
    Properties english = load("messages.properties");
    Properties chinese = load("messages_zh_CN.properties");
    assertEquals(
        new TreeSet<>(english.stringPropertyNames()),
        new TreeSet<>(chinese.stringPropertyNames()),
        "keys differ between messages.properties and messages_zh_CN.properties");
    for (String key : english.stringPropertyNames()) {
      assertTrue(!english.getProperty(key).isBlank(), "empty English text for " + key);
      assertTrue(!chinese.getProperty(key).isBlank(), "empty Chinese text for " + key);
      assertEquals(
          placeholders(english.getProperty(key)),
          placeholders(chinese.getProperty(key)),
          "placeholders differ for " + key);
    }
  }

  @Test
  void chineseTextsAreTranslatedNotCopied() throws IOException {
    Properties english = load("messages.properties");
    Properties chinese = load("messages_zh_CN.properties");
    Set<String> untranslated = new TreeSet<>();
    for (String key : english.stringPropertyNames()) {
      // names and brands may stay as they are; anything with words must be translated
      if (english.getProperty(key).equals(chinese.getProperty(key))
          && english.getProperty(key).matches(".*[a-z]{3,}\\s+[a-z]{3,}.*")) {
        untranslated.add(key);
      }
    }
    assertTrue(untranslated.isEmpty(), "not translated: " + untranslated);
  }

  private static Set<String> placeholders(String text) {
    Set<String> found = new TreeSet<>();
    Matcher matcher = PLACEHOLDER.matcher(text);
    while (matcher.find()) {
      found.add(matcher.group());
    }
    return found;
  }

  private static Properties load(String name) throws IOException {
    Properties properties = new Properties();
    try (InputStream in = MessageBundlesTest.class.getResourceAsStream(name)) {
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return properties;
  }
}
