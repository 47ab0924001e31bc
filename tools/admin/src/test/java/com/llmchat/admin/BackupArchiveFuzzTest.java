package com.llmchat.admin;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whatever file restore is given, the archive reader reads it or refuses it ({@link
 * CommandFailure}), never with another exception; and what it lets through stays inside the data
 * dir's key folders. The inputs are mostly backups that are nearly sound (a manifest with fuzzed
 * values, entries present or not, checksums right or not), some with bytes flipped after zipping,
 * some not zips at all.
 */
class BackupArchiveFuzzTest {

  private static final List<String> TABLES = List.of("account", "message", "x\"y", "");
  private static final List<String> FILES =
      List.of("keys/master-keys", "keys/../x", "/etc/passwd", "keys/a/b", "keys/.x");

  private static final Path SCRATCH = scratch();

  private static Path scratch() {
    try {
      Path file = Files.createTempFile("llmchat-fuzz-backup", ".zip");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "8s")
  void anyArchiveIsReadOrRefused(FuzzedDataProvider data) throws IOException {
    byte[] bytes;
    if (data.consumeInt(0, 9) == 0) {
      bytes = data.consumeRemainingAsBytes();
    } else {
      bytes = Archives.zip(nearlySound(data));
      int flips = data.consumeInt(0, 3);
      for (int i = 0; i < flips && bytes.length > 0; i++) {
        bytes[data.consumeInt(0, bytes.length - 1)] = data.consumeByte();
      }
    }
    Files.write(SCRATCH, bytes);
    try (var archive = BackupArchive.open(SCRATCH)) {
      archive.verify();
      archive.schemaVersion();
      archive.sequences();
      for (String table : archive.tables()) {
        archive.rows(table);
        try (InputStream in = archive.data(table)) {
          in.transferTo(OutputStream.nullOutputStream());
        }
      }
      for (String name : archive.files()) {
        Path inside = Path.of("/data").resolve(name).normalize();
        if (!inside.startsWith("/data/keys/") || name.contains("..")) {
          throw new AssertionError("restore would write " + name + " to " + inside);
        }
        archive.file(name);
      }
    } catch (CommandFailure refused) {
      // what restore prints; nothing was changed
    }
  }

  private static Map<String, byte[]> nearlySound(FuzzedDataProvider data) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    lines.add("format=" + (data.consumeBoolean() ? "1" : data.consumeString(4)));
    lines.add("schemaVersion=" + (data.consumeBoolean() ? "5" : data.consumeString(8)));
    List<String> tables = new ArrayList<>();
    for (int i = data.consumeInt(0, 3); i > 0; i--) {
      String table = data.consumeBoolean() ? data.pickValue(TABLES) : data.consumeString(12);
      byte[] csv = data.consumeBytes(64);
      tables.add(table);
      if (data.consumeInt(0, 7) > 0) {
        entries.put("tables/" + table + ".csv", csv);
      }
      lines.add(
          "table." + table + ".rows=" + (data.consumeBoolean() ? "1" : data.consumeString(22)));
      lines.add(
          "table."
              + table
              + ".sha256="
              + (data.consumeInt(0, 7) > 0 ? Archives.sha256(csv) : data.consumeString(64)));
    }
    lines.add("tables=" + String.join(",", tables));
    for (int i = data.consumeInt(0, 2); i > 0; i--) {
      lines.add("sequence." + data.consumeString(12) + "=" + data.consumeString(22));
    }
    List<String> files = new ArrayList<>();
    for (int i = data.consumeInt(0, 2); i > 0; i--) {
      String name = data.consumeBoolean() ? data.pickValue(FILES) : data.consumeString(24);
      files.add(name);
      if (data.consumeInt(0, 7) > 0) {
        entries.put("files/" + name, data.consumeBytes(32));
      }
    }
    lines.add("files=" + String.join(",", files));
    if (data.consumeBoolean()) {
      lines.add(data.consumeString(40));
    }
    if (data.consumeInt(0, 15) > 0) {
      entries.put(
          BackupArchive.MANIFEST, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    }
    return entries;
  }
}
