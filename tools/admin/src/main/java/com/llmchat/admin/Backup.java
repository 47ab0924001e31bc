package com.llmchat.admin;

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
 * by its owner only ({@link BackupArchive}). Needs nothing but the JDK and the JDBC driver, so it
 * works where no pg_dump of the server's version is installed (the air-gapped bundle).
 */
final class Backup {

  private Backup() {}

  static void run(List<String> args) throws SQLException, IOException, CommandFailure {
    if (args.size() != 2) {
      throw new CommandFailure(CommandFailure.USAGE, "usage: backup ARCHIVE DATA_DIR");
    }
    Path archive = Path.of(args.get(0));
    Path dataDir = Path.of(args.get(1));
    Files.createDirectories(archive.toAbsolutePath().getParent());
    Files.deleteIfExists(archive);
    Files.createFile(
        archive,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (Connection db = OperatorDatabase.connect();
        ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(archive))) {
      db.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      db.setReadOnly(true);
      Properties manifest = new Properties();
      manifest.setProperty("format", String.valueOf(BackupArchive.FORMAT));
      manifest.setProperty("createdAt", Instant.now().toString());
      manifest.setProperty("schemaVersion", Schema.version(db));
      List<String> tables = Schema.tables(db);
      manifest.setProperty("tables", String.join(",", tables));
      long rows = 0;
      for (String table : tables) {
        long count = Schema.count(db, table);
        rows += count;
        zip.putNextEntry(new ZipEntry(BackupArchive.TABLES + table + ".csv"));
        String sha256 = copyOut(db, table, zip);
        zip.closeEntry();
        manifest.setProperty("table." + table + ".rows", String.valueOf(count));
        manifest.setProperty("table." + table + ".sha256", sha256);
      }
      sequences(db, manifest);
      List<String> files = new ArrayList<>();
      for (String dir : BackupArchive.KEY_DIRS) {
        Path folder = dataDir.resolve(dir);
        if (!Files.isDirectory(folder)) {
          continue;
        }
        try (Stream<Path> found = Files.list(folder)) {
          for (Path file : found.filter(Files::isRegularFile).sorted().toList()) {
            String name = dir + "/" + file.getFileName();
            zip.putNextEntry(new ZipEntry(BackupArchive.FILES + name));
            Files.copy(file, zip);
            zip.closeEntry();
            files.add(name);
          }
        }
      }
      manifest.setProperty("files", String.join(",", files));
      zip.putNextEntry(new ZipEntry(BackupArchive.MANIFEST));
      manifest.store(new OutputStreamWriter(zip, StandardCharsets.UTF_8), "LLM Chat backup");
      zip.closeEntry();
      db.rollback();
      System.out.println(
          "backup of " + rows + " rows (" + tables.size() + " tables) written to " + archive);
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
    MessageDigest sha256 = BackupArchive.sha256();
    // the driver writes and flushes, never closes: the zip entry stays open for closeEntry()
    db.unwrap(PGConnection.class)
        .getCopyAPI()
        .copyOut(
            "COPY " + Schema.quoted(table) + " TO STDOUT WITH (FORMAT csv, HEADER true)",
            new DigestOutputStream(zip, sha256));
    return HexFormat.of().formatHex(sha256.digest());
  }
}
