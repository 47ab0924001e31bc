package com.llmchat.admin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackupArchiveTest {

  @TempDir Path dir;

  private Path write(byte[] bytes) throws Exception {
    Path file = Files.createTempFile(dir, "backup", ".zip");
    Files.write(file, bytes);
    return file;
  }

  private Path write(Map<String, byte[]> entries) throws Exception {
    return write(Archives.zip(entries));
  }

  /** What restore prints and exits with: the message, status 3, nothing changed. */
  private String refusal(Map<String, byte[]> entries) throws Exception {
    Path file = write(entries);
    var refused =
        assertThrows(
            CommandFailure.class,
            () -> {
              try (var archive = BackupArchive.open(file)) {
                archive.verify();
              }
            });
    assertEquals(CommandFailure.RESTORE_REFUSED, refused.status());
    assertTrue(refused.getMessage().startsWith("restore refused: "), refused.getMessage());
    return refused.getMessage();
  }

  @Test
  void aSoundBackupIsReadWhole() throws Exception {
    try (var archive = BackupArchive.open(write(Archives.sound()))) {
      archive.verify();
      assertEquals("5", archive.schemaVersion());
      assertEquals(List.of("account", "message"), archive.tables());
      assertEquals(1, archive.rows("account"));
      assertEquals(Map.of("account_seq", 51L), archive.sequences());
      assertEquals(List.of("keys/master-keys"), archive.files());
      assertArrayEquals(
          "k1\n".getBytes(StandardCharsets.US_ASCII), archive.file("keys/master-keys"));
      assertArrayEquals(
          Archives.sound().get("tables/account.csv"), archive.data("account").readAllBytes());
    }
  }

  @Test
  void aTableThatDoesNotMatchItsChecksumIsRefused() throws Exception {
    var entries = Archives.sound();
    entries.put("tables/account.csv", "id,username\n1,mallory\n".getBytes(StandardCharsets.UTF_8));
    assertTrue(
        refusal(entries).contains("the backup is damaged: account does not match its checksum"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../../etc/cron.d/x",
        "keys/../../x",
        "keys/..",
        "/etc/passwd",
        "keys//x",
        "keys/.hidden",
        "other/x",
        "keys",
        "keys/a..b",
        "keys/a\\..\\b"
      })
  void aFileOutsideTheKeyFoldersIsRefused(String name) throws Exception {
    var entries = Archives.withManifestLine("files", name);
    entries.put("files/" + name, new byte[] {1});
    assertTrue(refusal(entries).contains("outside the data dir's key folders"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"account\"; drop table account; --", "Account", "", "a b"})
  void aTableNoSchemaOfOursHasIsRefused(String name) throws Exception {
    var entries =
        Archives.withManifestLine(
            "table." + name + ".sha256", Archives.sha256(new byte[0]) + "\ntables=account," + name);
    entries.put("tables/" + name + ".csv", new byte[0]);
    assertTrue(refusal(entries).contains("names a table no database of ours has"));
  }

  @Test
  void numbersThatAreNotNumbersAreRefusedNotThrown() throws Exception {
    assertTrue(
        refusal(Archives.withManifestLine("sequence.account_seq", "fifty"))
            .contains("sequence.account_seq is not a number"));
    assertTrue(
        refusal(Archives.withManifestLine("table.account.rows", "-1")).contains("is negative"));
    assertTrue(
        refusal(Archives.withManifestLine("table.account.rows", "99999999999999999999"))
            .contains("is not a number"));
  }

  @Test
  void aListedEntryThatIsMissingIsRefused() throws Exception {
    var entries = Archives.sound();
    entries.remove("files/keys/master-keys");
    assertTrue(refusal(entries).contains("the file keys/master-keys is missing"));
    entries = Archives.sound();
    entries.remove("tables/message.csv");
    assertTrue(refusal(entries).contains("message is missing"));
  }

  @Test
  void whatIsNotABackupOfOursIsRefused() throws Exception {
    var noManifest = Archives.sound();
    noManifest.remove(BackupArchive.MANIFEST);
    assertTrue(refusal(noManifest).contains("is not an LLM Chat backup"));
    assertTrue(
        refusal(Archives.withManifestLine("format", "2")).contains("backup format 2 is not known"));
    assertTrue(
        refusal(Archives.withManifestLine("schemaVersion", "5; drop")).contains("not a version"));
    assertTrue(
        refusal(Archives.withManifestLine("broken", "\\uZZZZ")).contains("manifest")
            && refusal(Archives.withManifestLine("broken", "\\uZZZZ")).contains("malformed"));

    Path notAZip = write("PK not really".getBytes(StandardCharsets.US_ASCII));
    var refused = assertThrows(CommandFailure.class, () -> BackupArchive.open(notAZip));
    assertEquals(CommandFailure.RESTORE_REFUSED, refused.status());
    assertTrue(refused.getMessage().contains("is not a zip archive"));
  }
}
