package com.llmchat.admin;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A backup as {@link Backup} writes it and {@link Restore} reads it: one zip holding {@code
 * manifest.properties} (format, createdAt, schemaVersion, tables, table.T.rows, table.T.sha256,
 * sequence.S, files), {@code tables/T.csv} (COPY's CSV with a header) and {@code files/keys/...}
 * (the data dir's keys).
 *
 * <p>Restore trusts nothing in it: {@link #open} checks the manifest (known format, names the
 * database could have, numbers, checksums' shape, files inside the data dir's key folders, every
 * entry present) and {@link #verify} every table's checksum, before anything changes. An archive
 * that is damaged, foreign or made to harm is a {@link CommandFailure}, never another exception.
 */
final class BackupArchive implements Closeable {

  static final int FORMAT = 1;
  static final String MANIFEST = "manifest.properties";
  static final String TABLES = "tables/";
  static final String FILES = "files/";

  /** The data dir's folders that go into a backup. */
  static final List<String> KEY_DIRS = List.of("keys");

  /** A key file is a few kilobytes; a manifest lists a few dozen tables. */
  static final int FILE_MAX_BYTES = 1 << 20;

  private static final int MANIFEST_MAX_BYTES = 1 << 20;
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Pattern VERSION = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,9}){0,3}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

  private record Table(long rows, String sha256) {}

  private final ZipFile zip;
  private final String schemaVersion;
  private final Map<String, Table> tables;
  private final Map<String, Long> sequences;
  private final List<String> files;

  private BackupArchive(
      ZipFile zip,
      String schemaVersion,
      Map<String, Table> tables,
      Map<String, Long> sequences,
      List<String> files) {
    this.zip = zip;
    this.schemaVersion = schemaVersion;
    this.tables = tables;
    this.sequences = sequences;
    this.files = files;
  }

  static BackupArchive open(Path path) throws CommandFailure {
    ZipFile zip;
    try {
      zip = new ZipFile(path.toFile(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw refused(path.getFileName() + " is not a zip archive (" + e.getMessage() + ")");
    }
    try {
      return read(zip, path.getFileName().toString());
    } catch (CommandFailure | RuntimeException e) {
      closeQuietly(zip);
      throw e;
    }
  }

  private static BackupArchive read(ZipFile zip, String label) throws CommandFailure {
    ZipEntry entry = zip.getEntry(MANIFEST);
    if (entry == null || entry.isDirectory()) {
      throw refused(label + " is not an LLM Chat backup (no " + MANIFEST + ")");
    }
    Properties manifest = new Properties();
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] bytes = in.readNBytes(MANIFEST_MAX_BYTES + 1);
      if (bytes.length > MANIFEST_MAX_BYTES) {
        throw refused("the manifest of " + label + " is larger than a backup's");
      }
      manifest.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw damaged("the manifest of " + label + " cannot be read (" + e.getMessage() + ")");
    } catch (IllegalArgumentException e) {
      // Properties.load on a malformed \\uXXXX escape
      throw damaged("the manifest of " + label + " is malformed (" + e.getMessage() + ")");
    }
    String format = manifest.getProperty("format");
    if (!String.valueOf(FORMAT).equals(format)) {
      throw refused("backup format " + format + " is not known to this build");
    }
    String version = manifest.getProperty("schemaVersion", "");
    if (!VERSION.matcher(version).matches()) {
      throw damaged("the backup's schema version '" + version + "' is not a version");
    }
    Map<String, Table> tables = new LinkedHashMap<>();
    for (String table : list(manifest, "tables")) {
      if (!NAME.matcher(table).matches()) {
        throw refused("the backup names a table no database of ours has: " + table);
      }
      if (zip.getEntry(TABLES + table + ".csv") == null) {
        throw damaged(table + " is missing");
      }
      String sha256 = manifest.getProperty("table." + table + ".sha256", "");
      if (!SHA256.matcher(sha256).matches()) {
        throw damaged(table + " has no checksum");
      }
      long rows = number(manifest, "table." + table + ".rows");
      if (tables.put(table, new Table(rows, sha256)) != null) {
        throw damaged(table + " is listed twice");
      }
    }
    Map<String, Long> sequences = new TreeMap<>();
    for (String key : manifest.stringPropertyNames()) {
      if (key.startsWith("sequence.")) {
        String sequence = key.substring("sequence.".length());
        if (!NAME.matcher(sequence).matches()) {
          throw refused("the backup names a sequence no database of ours has: " + sequence);
        }
        sequences.put(sequence, number(manifest, key));
      }
    }
    List<String> files = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String name : list(manifest, "files")) {
      if (!insideKeyDirs(name)) {
        throw refused("the backup names a file outside the data dir's key folders: " + name);
      }
      ZipEntry file = zip.getEntry(FILES + name);
      if (file == null || file.isDirectory()) {
        throw damaged("the file " + name + " is missing");
      }
      if (file.getSize() > FILE_MAX_BYTES) {
        throw refused("the file " + name + " is larger than a key file");
      }
      if (!seen.add(name)) {
        throw damaged("the file " + name + " is listed twice");
      }
      files.add(name);
    }
    return new BackupArchive(zip, version, tables, sequences, files);
  }

  /** Every table's bytes match the checksum the backup wrote. */
  void verify() throws CommandFailure {
    for (var table : tables.entrySet()) {
      MessageDigest digest = sha256();
      try (InputStream in = new DigestInputStream(data(table.getKey()), digest)) {
        in.transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        throw damaged(table.getKey() + " cannot be read (" + e.getMessage() + ")");
      }
      if (!HexFormat.of().formatHex(digest.digest()).equals(table.getValue().sha256())) {
        throw damaged(table.getKey() + " does not match its checksum");
      }
    }
  }

  String schemaVersion() {
    return schemaVersion;
  }

  /** The tables, in the backup's order. */
  List<String> tables() {
    return List.copyOf(tables.keySet());
  }

  long rows(String table) {
    return tables.get(table).rows();
  }

  Map<String, Long> sequences() {
    return sequences;
  }

  /** The data dir's files, as paths relative to it ({@code keys/master-keys}). */
  List<String> files() {
    return files;
  }

  /** A table's CSV, streamed (tables may be larger than the heap). */
  InputStream data(String table) throws IOException {
    return zip.getInputStream(zip.getEntry(TABLES + table + ".csv"));
  }

  byte[] file(String name) throws CommandFailure {
    try (InputStream in = zip.getInputStream(zip.getEntry(FILES + name))) {
      byte[] bytes = in.readNBytes(FILE_MAX_BYTES + 1);
      if (bytes.length > FILE_MAX_BYTES) {
        throw refused("the file " + name + " is larger than a key file");
      }
      return bytes;
    } catch (IOException e) {
      throw damaged("the file " + name + " cannot be read (" + e.getMessage() + ")");
    }
  }

  @Override
  public void close() throws IOException {
    zip.close();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code keys/NAME}: a key folder, then plain names (no {@code ..} anywhere, not absolute). */
  private static boolean insideKeyDirs(String name) {
    String[] segments = name.split("/", -1);
    if (segments.length < 2 || !KEY_DIRS.contains(segments[0]) || name.contains("..")) {
      return false;
    }
    for (int i = 1; i < segments.length; i++) {
      // a name starts with neither a dot nor a slash: no "..", no "."
      if (!FILE_NAME.matcher(segments[i]).matches()) {
        return false;
      }
    }
    return true;
  }

  private static List<String> list(Properties manifest, String key) {
    String value = manifest.getProperty(key, "");
    return value.isEmpty() ? List.of() : List.of(value.split(",", -1));
  }

  private static long number(Properties manifest, String key) throws CommandFailure {
    String value = manifest.getProperty(key, "");
    try {
      long number = Long.parseLong(value);
      if (number < 0) {
        throw damaged(key + " is negative");
      }
      return number;
    } catch (NumberFormatException e) {
      throw damaged(key + " is not a number: '" + value + "'");
    }
  }

  /** Bytes that are not what the backup wrote (or a manifest that cannot be what it wrote). */
  private static CommandFailure damaged(String message) {
    return refused("the backup is damaged: " + message);
  }

  /** Not a backup of ours, or one that asks for what no backup of ours holds. */
  private static CommandFailure refused(String message) {
    return new CommandFailure(CommandFailure.RESTORE_REFUSED, "restore refused: " + message);
  }

  private static void closeQuietly(ZipFile zip) {
    try {
      zip.close();
    } catch (IOException ignored) {
      // the failure being reported matters more
    }
  }
}
