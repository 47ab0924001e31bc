package com.llmchat.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every visible string exists in English and Chinese, with the same placeholders. */
class MessageBundlesTest {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d+}");
  private static final Pattern PAGE_KEY = Pattern.compile("msg\\['([\\w.-]+)']");
  private static final Pattern SCRIPT_KEY =
      Pattern.compile("(?<![\\w.])t\\(\"([\\w.-]+)\"\\s*[,)]");

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

  @Test
  void everyKeyThePagesAndTheChatScriptUseExists() throws IOException {
    Properties english = load("messages.properties");
    Set<String> used = new TreeSet<>();
    Path webapp = Path.of("src/main/webapp");
    try (Stream<Path> files = Files.walk(webapp)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (file.toString().endsWith(".xhtml")) {
          collect(PAGE_KEY.matcher(text), "", used);
        } else if (file.getFileName().toString().equals("chat.js")) {
          collect(SCRIPT_KEY.matcher(text), "chat.", used);
        }
      }
    }
    assertTrue(used.size() > 50, "found only " + used);
    Set<String> missing = new TreeSet<>(used);
    missing.removeAll(english.stringPropertyNames());
    assertTrue(missing.isEmpty(), "used but not in the bundles: " + missing);
  }

  private static void collect(Matcher matcher, String prefix, Set<String> into) {
    while (matcher.find()) {
      into.add(prefix + matcher.group(1));
    }
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
