package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/llmchat backup} of the running installation, then the database destroyed — here: a
 * new, empty database, so that the server under test keeps its own — and {@code bin/llmchat
 * restore} into it: the same rows in every table, the same conversations, the same keys.
 */
class BackupRestoreIT extends DeployedEar {

  private static final String CONVERSATIONS_CHECKSUM =
      "select md5(coalesce(string_agg(c.id || ':' || c.title || ':' || coalesce(m.id, 0) || ':'"
          + " || coalesce(m.content, ''), '|' order by c.id, m.id), ''))"
          + " from conversation c left join message m on m.conversation_id = c.id";

  /** Attached files: names, bytes and extracted text. */
  private static final String FILES_CHECKSUM =
      "select md5(coalesce(string_agg(id || ':' || name || ':' || md5(content) || ':'"
          + " || coalesce(text, ''), '|' order by id), '')) from attachment";

  @TempDir Path temp;

  record Run(int exit, String output) {}

  @Test
  void backupDestroyRestoreGivesBackEveryRowConversationAndKey() throws Exception {
    Platform.simulator();
    var user = TestAccounts.user("archived");
    SseClient.chat(user.accessToken(), "demo", "Keep this [sim tokens=5 gap-ms=1]");
    SseClient.chat(user.accessToken(), SharedModels.add("kept", ""), "And this [sim tokens=3]");
    long withFiles = SseClient.conversation(user.accessToken(), "demo");
    var image =
        AttachmentsIT.upload(user.accessToken(), withFiles, "kept.png", AttachmentsIT.png(4, 4));
    var text =
        AttachmentsIT.upload(
            user.accessToken(),
            withFiles,
            "笔记.txt",
            "备份后仍在".getBytes(java.nio.charset.Charset.forName("GB18030")));
    AttachmentsIT.send(
        user.accessToken(),
        withFiles,
        "Files [sim tokens=2 gap-ms=1]",
        image.body().getInt("id"),
        text.body().getInt("id"));

    Path archive = temp.resolve("backups/llmchat.zip");
    Run backup = launcher(Map.of(), "backup", archive.toString());
    assertEquals(0, backup.exit(), backup.output());
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)));
    Map<String, Long> original;
    String conversations;
    try (Connection db = Platform.database()) {
      original = rowCounts(db);
      conversations = queryOne(db, CONVERSATIONS_CHECKSUM) + " " + queryOne(db, FILES_CHECKSUM);
    }
    assertTrue(original.get("message") > 0 && original.get("provider") > 0, original.toString());
    assertTrue(original.get("attachment") >= 2, original.toString());

    String database = "restored_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection db = Platform.database()) {
      db.createStatement().execute("create database " + database);
    }
    Path dataDir = Files.createDirectory(temp.resolve("data"));
    Map<String, String> target =
        Map.of("LLMCHAT_DB_URL", otherDatabase(database), "LLMCHAT_DATA_DIR", dataDir.toString());
    try {
      Run restore = launcher(target, "restore", archive.toString());
      assertEquals(0, restore.exit(), restore.output());
      assertRestored(database, original, conversations);
      for (String key :
          List.of("keys/master-keys", "keys/jwt-private.pem", "keys/jwt-public.pem")) {
        assertArrayEquals(
            Files.readAllBytes(Platform.dataDir().resolve(key)),
            Files.readAllBytes(dataDir.resolve(key)),
            key);
      }

      // a damaged archive is refused before anything changes
      Path damaged = temp.resolve("damaged.zip");
      Files.copy(archive, damaged);
      try (var zip = FileSystems.newFileSystem(URI.create("jar:" + damaged.toUri()), Map.of())) {
        Files.writeString(zip.getPath("tables/message.csv"), "id\n");
      }
      Run refused = launcher(target, "restore", damaged.toString());
      assertNotEquals(0, refused.exit(), refused.output());
      assertTrue(refused.output().contains("damaged"), refused.output());

      // and into a database that has data: emptied and filled again, in one transaction
      Run again = launcher(target, "restore", archive.toString());
      assertEquals(0, again.exit(), again.output());
      assertRestored(database, original, conversations);
    } finally {
      try (Connection db = Platform.database()) {
        db.createStatement().execute("drop database if exists " + database + " with (force)");
      }
    }
  }

  private static void assertRestored(
      String database, Map<String, Long> original, String conversations) throws Exception {
    try (Connection restored =
        DriverManager.getConnection(
            otherDatabase(database),
            Platform.requiredEnv("LLMCHAT_DB_USER"),
            Platform.requiredEnv("LLMCHAT_DB_PASSWORD"))) {
      Map<String, Long> counts = rowCounts(restored);
      // the restore itself is audited in the restored database
      assertEquals(original.get("audit_event") + 1, counts.get("audit_event"));
      counts.put("audit_event", original.get("audit_event"));
      assertEquals(original, counts);
      assertEquals(
          conversations,
          queryOne(restored, CONVERSATIONS_CHECKSUM) + " " + queryOne(restored, FILES_CHECKSUM));
    }
  }

  private static String otherDatabase(String name) {
    String url = Platform.requiredEnv("LLMCHAT_DB_URL");
    return url.substring(0, url.lastIndexOf('/') + 1) + name;
  }

  private static Map<String, Long> rowCounts(Connection db) throws Exception {
    List<String> tables = new ArrayList<>();
    try (var rows =
        db.createStatement()
            .executeQuery(
                "select tablename from pg_tables where schemaname = current_schema()"
                    + " order by tablename")) {
      while (rows.next()) {
        tables.add(rows.getString(1));
      }
    }
    Map<String, Long> counts = new TreeMap<>();
    for (String table : tables) {
      counts.put(table, Long.parseLong(queryOne(db, "select count(*) from " + table)));
    }
    return counts;
  }

  private static String queryOne(Connection db, String sql) throws Exception {
    try (var rows = db.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static Run launcher(Map<String, String> environment, String... arguments)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(Platform.requiredEnv("LLMCHAT_LAUNCHER")));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), output);
    return new Run(process.exitValue(), output);
  }
}
