package com.llmchat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** What this build is: the product version and the source commit it was built from. */
public record Build(String version, String commit) {

  private static final Build CURRENT = read();

  public static Build current() {
    return CURRENT;
  }

  private static Build read() {
    Properties properties = new Properties();
    try (InputStream in = Build.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Build(
        properties.getProperty("version", "unknown"), properties.getProperty("commit", "unknown"));
  }
}
