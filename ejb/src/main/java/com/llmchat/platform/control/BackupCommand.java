package com.llmchat.platform.control;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.postgresql.PGConnection;

/**
 * {@code bin/llmchat backup}: every table of the schema as CSV, from one consistent snapshot (the
 * server may keep running), the sequences, the schema version, and the data dir's keys (without
 * them the provider API keys cannot be opened and issued tokens not checked), in one zip readable
 * by its owner only. Needs nothing but the JDK and the JDBC driver, so it works where no pg_dump of
 * the server's version is installed (the air-gapped bundle).
 *
 * <p>Usage: {@code BackupCommand ARCHIVE DATA_DIR} with LLMCHAT_DB_URL, _USER, _PASSWORD set.
 */
public final class BackupCommand {

  static final int FORMAT = 1;
  static final String MANIFEST = "manifest.properties";
  static final String TABLES = "tables/";
  static final String FILES = "files/";

  /** The data dir's folders that go into a backup. */
  static final List<String> KEY_DIRS = List.of("keys");

  private BackupCommand() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: BackupCommand ARCHIVE DATA_DIR");
      System.exit(2);
    }
    Path archive = Path.of(args[0]);
    Files.createDirectories(archive.toAbsolutePath().getParent());
    Files.deleteIfExists(archive);
    Files.createFile(
        archive,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (Connection db = OperatorCommand.database();
        ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(archive))) {
      db.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      db.setReadOnly(true);
      Properties manifest = new Properties();
      manifest.setProperty("format", String.valueOf(FORMAT));
      manifest.setProperty("createdAt", Instant.now().toString());
      manifest.setProperty("schemaVersion", schemaVersion(db));
      List<String> tables = tables(db);
      manifest.setProperty("tables", String.join(",", tables));
      long rows = 0;
      for (String table : tables) {
        long count = count(db, table);
        rows += count;
        zip.putNextEntry(new ZipEntry(TABLES + table + ".csv"));
        String sha256 = copyOut(db, table, zip);
        zip.closeEntry();
        manifest.setProperty("table." + table + ".rows", String.valueOf(count));
        manifest.setProperty("table." + table + ".sha256", sha256);
      }
      sequences(db, manifest);
      List<String> files = new ArrayList<>();
      Path dataDir = Path.of(args[1]);
      for (String dir : KEY_DIRS) {
        Path folder = dataDir.resolve(dir);
        if (!Files.isDirectory(folder)) {
          continue;
        }
        try (Stream<Path> found = Files.list(folder)) {
          for (Path file : found.filter(Files::isRegularFile).sorted().toList()) {
            String name = dir + "/" + file.getFileName();
            zip.putNextEntry(new ZipEntry(FILES + name));
            Files.copy(file, zip);
            zip.closeEntry();
            files.add(name);
          }
        }
      }
      manifest.setProperty("files", String.join(",", files));
      zip.putNextEntry(new ZipEntry(MANIFEST));
      manifest.store(new OutputStreamWriter(zip, StandardCharsets.UTF_8), "LLM Chat backup");
      zip.closeEntry();
      db.rollback();
      System.out.println(
          "backup of " + rows + " rows (" + tables.size() + " tables) written to " + archive);
    }
  }

  /** The tables of the schema, by name. */
  static List<String> tables(Connection db) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement query = db.createStatement();
        ResultSet found =
            query.executeQuery(
                "select tablename from pg_tables where schemaname = current_schema()"
                    + " order by tablename")) {
      while (found.next()) {
        names.add(found.getString(1));
      }
    }
    return names;
  }

  static String schemaVersion(Connection db) throws SQLException {
    try (Statement query = db.createStatement();
        ResultSet found =
            query.executeQuery(
                "select version from flyway_schema_history where success and version is not null"
                    + " order by installed_rank desc limit 1")) {
      if (!found.next()) {
        throw new IllegalStateException("the database has no migrated schema");
      }
      return found.getString(1);
    }
  }

  static long count(Connection db, String table) throws SQLException {
    try (Statement query = db.createStatement();
        ResultSet found = query.executeQuery("select count(*) from " + quoted(table))) {
      found.next();
      return found.getLong(1);
    }
  }

  private static void sequences(Connection db, Properties manifest) throws SQLException {
    try (Statement query = db.createStatement();
        ResultSet found =
            query.executeQuery(
                "select sequencename, last_value from pg_sequences"
                    + " where schemaname = current_schema() and last_value is not null")) {
      while (found.next()) {
        manifest.setProperty("sequence." + found.getString(1), String.valueOf(found.getLong(2)));
      }
    }
  }

  /** COPY … TO STDOUT as CSV with a header into the archive; returns the SHA-256 of the bytes. */
  private static String copyOut(Connection db, String table, OutputStream zip)
      throws SQLException, IOException {
    MessageDigest sha256 = sha256();
    // the driver writes and flushes, never closes: the zip entry stays open for closeEntry()
    db.unwrap(PGConnection.class)
        .getCopyAPI()
        .copyOut(
            "COPY " + quoted(table) + " TO STDOUT WITH (FORMAT csv, HEADER true)",
            new DigestOutputStream(zip, sha256));
    return HexFormat.of().formatHex(sha256.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A table name as SQL: only the names pg_tables gave, quoted. */
  static String quoted(String table) {
    return "\"" + table.replace("\"", "\"\"") + "\"";
  }
}
