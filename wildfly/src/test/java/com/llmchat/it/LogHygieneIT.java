package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Runs last: no password, hash or token of the whole test run is in the server log. */
@Order(Integer.MAX_VALUE)
class LogHygieneIT extends DeployedEar {

  @Test
  void serverLogHoldsNoPasswordHashOrToken() throws Exception {
    Path log = Path.of(Platform.required("jboss.home"), "standalone/log/server.log");
    // the whole run: the log rotates at midnight (server.log.2026-12-01 and so on)
    StringBuilder all = new StringBuilder();
    try (var files = Files.list(log.getParent())) {
      for (Path file :
          files
              .filter(f -> f.getFileName().toString().startsWith("server.log"))
              .sorted()
              .toList()) {
        all.append(Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    String text = all.toString();
    assertTrue(text.contains("WFLYSRV0025"), "not the server log: " + log);
    assertTrue(Secrets.all().size() >= 10, "the run saw only " + Secrets.all().size() + " secrets");
    for (String secret : Secrets.all()) {
      assertFalse(text.contains(secret), "a password or token of the test run is in " + log);
    }
    assertFalse(text.contains("pbkdf2-sha256$"), "a password hash is in the log");
    assertFalse(text.contains("Bearer ey"), "a bearer token is in the log");
  }
}
