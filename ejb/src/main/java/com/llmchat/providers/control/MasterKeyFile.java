package com.llmchat.providers.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The file that holds the master keys sealing provider API keys: one base64 AES-256 key per line,
 * the current one first, older ones after it until nothing sealed with them is left. Created with a
 * random key at first start, readable by its owner only.
 */
public final class MasterKeyFile {

  private final Path file;

  public MasterKeyFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  /** The keys, current first; a new file with one random key when there is none yet. */
  public synchronized List<byte[]> readOrCreate() {
    if (!Files.exists(file)) {
      write(List.of(randomKey()));
    }
    try {
      List<byte[]> keys = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          keys.add(decode(line.strip(), file.toString()));
        }
      }
      if (keys.isEmpty()) {
        throw new IllegalStateException("The master key file " + file + " holds no key");
      }
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the master key file " + file, e);
    }
  }

  /** Puts a new random key first; the older ones stay to open what they sealed. */
  public synchronized List<byte[]> rotate() {
    List<byte[]> keys = new ArrayList<>(readOrCreate());
    keys.add(0, randomKey());
    write(keys);
    return keys;
  }

  /** Keeps only the current key, once everything is sealed with it. */
  public synchronized void retireOlderKeys() {
    write(List.of(readOrCreate().get(0)));
  }

  /** A key given as base64 (LLMCHAT_MASTER_KEY): 32 bytes. */
  public static byte[] decode(String base64, String where) {
    try {
      byte[] key = Base64.getDecoder().decode(base64.strip());
      if (key.length != 32) {
        throw new IllegalStateException(
            "A master key is 32 random bytes in base64 (openssl rand -base64 32); the one in "
                + where
                + " has "
                + key.length
                + " bytes");
      }
      return key;
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("The master key in " + where + " is not base64", e);
    }
  }

  static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  private void write(List<byte[]> keys) {
    StringBuilder text =
        new StringBuilder("# LLM Chat master keys (AES-256), current first. Back this file up.\n");
    keys.forEach(key -> text.append(Base64.getEncoder().encodeToString(key)).append('\n'));
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.exists(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      // written beside and moved, so that a reader never sees half a file
      Path next = dir.resolve(file.getFileName() + ".next");
      Files.deleteIfExists(next);
      Files.createFile(
          next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(next, text, StandardCharsets.US_ASCII);
      Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the master key file " + file, e);
    }
  }
}
