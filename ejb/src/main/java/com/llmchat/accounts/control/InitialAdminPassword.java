package com.llmchat.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The generated one-time password of the first administrator. It goes to a file readable by the
 * server's user only (never to the log); bin/llmchat shows it, and it is deleted as soon as the
 * administrator has chosen a password.
 */
@ApplicationScoped
public class InitialAdminPassword {

  @Inject
  @ConfigProperty(name = "llmchat.data.dir")
  String dataDir;

  public Path file() {
    return Path.of(dataDir, "secrets", "initial-admin-password");
  }

  public void write(String username, String password) {
    Path file = file();
    try {
      Files.createDirectories(
          file.getParent(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(
          file, "user=" + username + "\npassword=" + password + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public void discard() {
    try {
      Files.deleteIfExists(file());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file(), e);
    }
  }
}
