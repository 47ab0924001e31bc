package com.llmchat.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;

/**
 * {@code bin/llmchat restore ARCHIVE}: puts a backup back. The archive is checked and every
 * checksum verified before anything changes ({@link BackupArchive}); an empty database first gets
 * the backup's schema version (the build's own migrations, up to that version); then, in one
 * transaction, every table is emptied and filled from the archive, the sequences set, the row
 * counts checked. The data dir's keys come back last. A database at another schema version is
 * refused: restore with the build that made the backup.
 *
 * <p>{@code --replace} (the rollback of an upgrade) first drops every table and sequence of the
 * schema, whatever its version, so that the backup's version is built anew.
 */
final class Restore {

  private static final String HISTORY = "flyway_schema_history";

  private Restore() {}

  static void run(List<String> args) throws SQLException, IOException, CommandFailure {
    boolean replace = args.size() == 3 && args.get(2).equals("--replace");
    if (args.size() != 2 && !replace) {
      throw new CommandFailure(CommandFailure.USAGE, "usage: restore ARCHIVE DATA_DIR [--replace]");
    }
    Path path = Path.of(args.get(0));
    try (BackupArchive archive = BackupArchive.open(path)) {
      archive.verify();
      String version = archive.schemaVersion();
      if (replace) {
        dropSchemaObjects();
      }
      migrateEmptyDatabase(version);
      long rows;
      try (Connection db = OperatorDatabase.connect()) {
        String current = Schema.version(db);
        if (!current.equals(version)) {
          throw refused(
              "the database is at schema version "
                  + current
                  + ", the backup at "
                  + version
                  + ": restore with the build that made the backup");
        }
        rows = load(db, archive);
        OperatorDatabase.audit(db, "restore", path.getFileName().toString(), rows + " rows");
        db.commit();
      }
      restoreFiles(archive, Path.of(args.get(1)));
      System.out.println(
          "restored " + rows + " rows (" + archive.tables().size() + " tables) from " + path);
    }
  }

  /**
   * Every table, sequence and function of the schema, in one transaction: Flyway migrates only an
   * empty schema (an upgrade rolled back would leave the newer version's functions behind).
   */
  private static void dropSchemaObjects() throws SQLException, CommandFailure {
    try (Connection db = OperatorDatabase.connect();
        Statement drop = db.createStatement()) {
      for (String table : Schema.tables(db)) {
        drop.execute("DROP TABLE IF EXISTS " + Schema.quoted(table) + " CASCADE");
      }
      for (String sequence : Schema.sequences(db)) {
        drop.execute("DROP SEQUENCE IF EXISTS " + Schema.quoted(sequence) + " CASCADE");
      }
      // as regprocedure prints them: a name quoted where needed, and the argument types
      for (String function : Schema.functions(db)) {
        drop.execute("DROP FUNCTION IF EXISTS " + function + " CASCADE");
      }
      db.commit();
    }
  }

  /** A database without schema (new, or emptied) gets the backup's version first. */
  private static void migrateEmptyDatabase(String version) throws SQLException, CommandFailure {
    try (Connection db = OperatorDatabase.connect()) {
      if (!Schema.tables(db).isEmpty()) {
        return;
      }
    }
    Flyway.configure(Restore.class.getClassLoader())
        .dataSource(OperatorDatabase.url(), OperatorDatabase.user(), OperatorDatabase.password())
        .locations("classpath:db/migration")
        .target(version)
        .load()
        .migrate();
  }

  private static long load(Connection db, BackupArchive archive)
      throws SQLException, IOException, CommandFailure {
    Set<String> tables = new TreeSet<>(archive.tables());
    tables.remove(HISTORY);
    List<String> existing = Schema.tables(db);
    for (String table : tables) {
      if (!existing.contains(table)) {
        throw refused("table " + table + " of the backup is not in the database");
      }
    }
    List<String> sequences = Schema.sequences(db);
    for (String sequence : archive.sequences().keySet()) {
      if (!sequences.contains(sequence)) {
        throw refused("sequence " + sequence + " of the backup is not in the database");
      }
    }
    try (Statement empty = db.createStatement()) {
      empty.execute(
          "TRUNCATE "
              + tables.stream().map(Schema::quoted).collect(Collectors.joining(", "))
              + " CASCADE");
    }
    // parents before children: a foreign key checks its row at the end of each COPY
    long rows = 0;
    for (String table : ForeignKeyOrder.of(db, tables)) {
      try (InputStream csv = archive.data(table)) {
        db.unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(
                "COPY " + Schema.quoted(table) + " FROM STDIN WITH (FORMAT csv, HEADER true)", csv);
      }
      long count = Schema.count(db, table);
      if (count != archive.rows(table)) {
        throw refused(
            table + ": " + count + " rows restored, the backup has " + archive.rows(table));
      }
      rows += count;
    }
    try (PreparedStatement set = db.prepareStatement("select setval(?::regclass, ?, true)")) {
      for (Map.Entry<String, Long> sequence : archive.sequences().entrySet()) {
        set.setString(1, Schema.quoted(sequence.getKey()));
        set.setLong(2, sequence.getValue());
        set.execute();
      }
    }
    return rows;
  }

  private static void restoreFiles(BackupArchive archive, Path dataDir)
      throws IOException, CommandFailure {
    for (String name : archive.files()) {
      Path target = dataDir.resolve(name);
      Files.createDirectories(
          target.getParent(),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Files.write(target, archive.file(name));
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    }
  }

  private static CommandFailure refused(String message) {
    return new CommandFailure(CommandFailure.RESTORE_REFUSED, "restore refused: " + message);
  }
}
