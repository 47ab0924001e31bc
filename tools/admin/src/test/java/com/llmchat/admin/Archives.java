package com.llmchat.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Backup archives as tests need them: a zip of named entries, and what a backup would hold. */
final class Archives {

  private Archives() {}

  static byte[] zip(Map<String, byte[]> entries) {
    var bytes = new ByteArrayOutputStream();
    try (var zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
      for (var entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(BackupArchive.sha256().digest(bytes));
  }

  /** The entries of a small, sound backup: two tables, a sequence and a key file. */
  static Map<String, byte[]> sound() {
    byte[] account = "id,username\n1,admin\n".getBytes(StandardCharsets.UTF_8);
    byte[] message = "id,text\n".getBytes(StandardCharsets.UTF_8);
    String manifest =
        String.join(
            "\n",
            "format=1",
            "schemaVersion=5",
            "tables=account,message",
            "table.account.rows=1",
            "table.account.sha256=" + sha256(account),
            "table.message.rows=0",
            "table.message.sha256=" + sha256(message),
            "sequence.account_seq=51",
            "files=keys/master-keys");
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("tables/account.csv", account);
    entries.put("tables/message.csv", message);
    entries.put("files/keys/master-keys", "k1\n".getBytes(StandardCharsets.US_ASCII));
    entries.put(BackupArchive.MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
    return entries;
  }

  /** {@link #sound()} with one manifest line replaced (or added when no line has its key). */
  static Map<String, byte[]> withManifestLine(String key, String value) {
    Map<String, byte[]> entries = sound();
    String manifest = new String(entries.get(BackupArchive.MANIFEST), StandardCharsets.UTF_8);
    String line = key + "=" + value;
    String changed =
        manifest.lines().anyMatch(l -> l.startsWith(key + "="))
            ? String.join(
                "\n", manifest.lines().map(l -> l.startsWith(key + "=") ? line : l).toList())
            : manifest + "\n" + line;
    entries.put(BackupArchive.MANIFEST, changed.getBytes(StandardCharsets.UTF_8));
    return entries;
  }
}
