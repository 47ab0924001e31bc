package com.llmchat.platform.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;

/**
 * {@code bin/llmchat restore ARCHIVE}: puts a backup back. Every checksum is verified before
 * anything changes; an empty database first gets the backup's schema version (the build's own
 * migrations, up to that version); then, in one transaction, every table is emptied and filled from
 * the archive, the sequences set, the row counts checked. The data dir's keys come back last. A
 * database at another schema version is refused: restore with the build that made the backup.
 *
 * <p>Usage: {@code RestoreCommand ARCHIVE DATA_DIR [--replace]} with LLMCHAT_DB_URL, _USER,
 * _PASSWORD set. {@code --replace} (the rollback of an upgrade) first drops every table and
 * sequence of the schema, whatever its version, so that the backup's version is built anew.
 */
public final class RestoreCommand {

  private static final String HISTORY = "flyway_schema_history";

  private RestoreCommand() {}

  public static void main(String[] args) throws Exception {
    boolean replace = args.length == 3 && args[2].equals("--replace");
    if (args.length != 2 && !replace) {
      System.err.println("usage: RestoreCommand ARCHIVE DATA_DIR [--replace]");
      System.exit(2);
    }
    try (ZipFile archive = new ZipFile(args[0])) {
      Properties manifest = manifest(archive);
      verify(archive, manifest);
      String version = manifest.getProperty("schemaVersion");
      if (replace) {
        dropSchemaObjects();
      }
      migrateEmptyDatabase(version);
      long rows;
      try (Connection db = OperatorCommand.database()) {
        String current = BackupCommand.schemaVersion(db);
        if (!current.equals(version)) {
          fail(
              "the database is at schema version "
                  + current
                  + ", the backup at "
                  + version
                  + ": restore with the build that made the backup");
        }
        rows = load(db, archive, manifest);
        OperatorCommand.audit(
            db, "restore", Path.of(args[0]).getFileName().toString(), rows + " rows");
        db.commit();
      }
      restoreFiles(archive, manifest, Path.of(args[1]));
      System.out.println(
          "restored "
              + rows
              + " rows ("
              + list(manifest, "tables").size()
              + " tables) from "
              + args[0]);
    }
  }

  private static Properties manifest(ZipFile archive) throws IOException {
    ZipEntry entry = archive.getEntry(BackupCommand.MANIFEST);
    if (entry == null) {
      fail(archive.getName() + " is not an LLM Chat backup (no " + BackupCommand.MANIFEST + ")");
    }
    try (var in = new InputStreamReader(archive.getInputStream(entry), StandardCharsets.UTF_8)) {
      Properties manifest = new Properties();
      manifest.load(in);
      if (!String.valueOf(BackupCommand.FORMAT).equals(manifest.getProperty("format"))) {
        fail("backup format " + manifest.getProperty("format") + " is not known to this build");
      }
      return manifest;
    }
  }

  static List<String> list(Properties manifest, String key) {
    String value = manifest.getProperty(key, "");
    return value.isEmpty() ? List.of() : List.of(value.split(","));
  }

  /** Every table file is there and has its checksum, before anything is touched. */
  private static void verify(ZipFile archive, Properties manifest) throws IOException {
    for (String table : list(manifest, "tables")) {
      MessageDigest digest = BackupCommand.sha256();
      try (InputStream in = new DigestInputStream(data(archive, table), digest)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      String sha256 = HexFormat.of().formatHex(digest.digest());
      if (!sha256.equals(manifest.getProperty("table." + table + ".sha256"))) {
        fail("the backup is damaged: " + table + " does not match its checksum");
      }
    }
  }

  /** A table's CSV, streamed (tables may be larger than the heap). */
  private static InputStream data(ZipFile archive, String table) throws IOException {
    ZipEntry entry = archive.getEntry(BackupCommand.TABLES + table + ".csv");
    if (entry == null) {
      fail("the backup is damaged: " + table + " is missing");
    }
    return archive.getInputStream(entry);
  }

  /** Every table and sequence of the schema, in one transaction. */
  private static void dropSchemaObjects() throws SQLException {
    try (Connection db = OperatorCommand.database();
        Statement drop = db.createStatement()) {
      for (String table : BackupCommand.tables(db)) {
        drop.execute("DROP TABLE IF EXISTS " + BackupCommand.quoted(table) + " CASCADE");
      }
      List<String> sequences = new java.util.ArrayList<>();
      try (var found =
          drop.executeQuery(
              "select sequencename from pg_sequences where schemaname = current_schema()")) {
        while (found.next()) {
          sequences.add(found.getString(1));
        }
      }
      for (String sequence : sequences) {
        drop.execute("DROP SEQUENCE IF EXISTS " + BackupCommand.quoted(sequence) + " CASCADE");
      }
      db.commit();
    }
  }

  /** A database without schema (new, or emptied) gets the backup's version first. */
  private static void migrateEmptyDatabase(String version) throws SQLException {
    try (Connection db = OperatorCommand.database()) {
      if (!BackupCommand.tables(db).isEmpty()) {
        return;
      }
    }
    Flyway.configure(RestoreCommand.class.getClassLoader())
        .dataSource(
            OperatorCommand.required("LLMCHAT_DB_URL"),
            OperatorCommand.required("LLMCHAT_DB_USER"),
            OperatorCommand.required("LLMCHAT_DB_PASSWORD"))
        .locations("classpath:db/migration")
        .target(version)
        .load()
        .migrate();
  }

  private static long load(Connection db, ZipFile archive, Properties manifest)
      throws SQLException, IOException {
    Set<String> tables = new TreeSet<>(list(manifest, "tables"));
    tables.remove(HISTORY);
    List<String> existing = BackupCommand.tables(db);
    for (String table : tables) {
      if (!existing.contains(table)) {
        fail("table " + table + " of the backup is not in the database");
      }
    }
    try (Statement empty = db.createStatement()) {
      empty.execute(
          "TRUNCATE "
              + tables.stream().map(BackupCommand::quoted).collect(Collectors.joining(", "))
              + " CASCADE");
    }
    // parents before children: a foreign key checks its row at the end of each COPY
    long rows = 0;
    for (String table : ForeignKeyOrder.of(db, tables)) {
      try (InputStream csv = data(archive, table)) {
        db.unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(
                "COPY "
                    + BackupCommand.quoted(table)
                    + " FROM STDIN WITH (FORMAT csv, HEADER true)",
                csv);
      }
      long count = BackupCommand.count(db, table);
      String expected = manifest.getProperty("table." + table + ".rows");
      if (!String.valueOf(count).equals(expected)) {
        fail(table + ": " + count + " rows restored, the backup has " + expected);
      }
      rows += count;
    }
    try (PreparedStatement set = db.prepareStatement("select setval(?::regclass, ?, true)")) {
      for (String key : manifest.stringPropertyNames()) {
        if (key.startsWith("sequence.")) {
          set.setString(1, BackupCommand.quoted(key.substring("sequence.".length())));
          set.setLong(2, Long.parseLong(manifest.getProperty(key)));
          set.execute();
        }
      }
    }
    return rows;
  }

  private static void restoreFiles(ZipFile archive, Properties manifest, Path dataDir)
      throws IOException {
    for (String name : list(manifest, "files")) {
      if (name.contains("..") || name.startsWith("/")) {
        fail("the backup names a file outside the data dir: " + name);
      }
      Path target = dataDir.resolve(name);
      Files.createDirectories(
          target.getParent(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      try (var in = archive.getInputStream(archive.getEntry(BackupCommand.FILES + name))) {
        Files.write(target, in.readAllBytes());
      }
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    }
  }

  private static void fail(String message) {
    System.err.println("restore refused: " + message);
    System.exit(3);
  }
}
