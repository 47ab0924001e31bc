package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schema as PostgreSQL has it after the migrations. */
class SchemaIT extends DeployedEar {

  /**
   * Foreign keys whose columns are not the leading columns of any index on the referencing table: a
   * delete on the referenced side would scan that table for every row it removes.
   */
  private static final String FOREIGN_KEYS_WITHOUT_INDEX =
      """
      select c.conrelid::regclass || ' (' || string_agg(a.attname, ', ' order by k.n) || ')'
        from pg_constraint c
        cross join lateral unnest(c.conkey) with ordinality as k(attnum, n)
        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
       where c.contype = 'f'
         and c.connamespace = current_schema()::regnamespace
         and not exists (
               select 1 from pg_index i
                where i.indrelid = c.conrelid
                  and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
                  and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey)
       group by c.conrelid, c.conname
       order by 1
      """;

  @Test
  void everyForeignKeyHasAnIndex() throws Exception {
    List<String> unindexed = new ArrayList<>();
    int foreignKeys;
    try (var db = Platform.database();
        var statement = db.createStatement()) {
      try (var rows = statement.executeQuery(FOREIGN_KEYS_WITHOUT_INDEX)) {
        while (rows.next()) {
          unindexed.add(rows.getString(1));
        }
      }
      try (var rows =
          statement.executeQuery(
              "select count(*) from pg_constraint where contype = 'f'"
                  + " and connamespace = current_schema()::regnamespace")) {
        rows.next();
        foreignKeys = rows.getInt(1);
      }
    }
    assertTrue(foreignKeys >= 9, "the query sees the schema's foreign keys: " + foreignKeys);
    assertEquals(List.of(), unindexed, "foreign keys without an index");
  }

  /** Anyone may ask which build answers: its version, source commit and schema version. */
  @Test
  void theVersionNamesTheBuildTheCommitAndTheNewestMigration() throws Exception {
    var answer = Api.get("v1/version", null);
    assertEquals(200, answer.statusCode(), answer.body());
    var version = Json.object(answer.body());
    assertEquals("LLM Chat", version.getString("product"));
    assertTrue(
        version.getString("version").matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), answer.body());

    Path migrations =
        Path.of(Platform.required("llmchat.recordings"))
            .resolve("../../../main/resources/db/migration")
            .normalize();
    int newest;
    try (var files = Files.list(migrations)) {
      newest =
          files
              .map(file -> file.getFileName().toString())
              .filter(name -> name.matches("V\\d+__.*\\.sql"))
              .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
              .max()
              .orElseThrow();
    }
    assertEquals(String.valueOf(newest), version.getString("schemaVersion"), answer.body());

    // bin/llmchat builds with the commit of the source tree
    Process git =
        new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD")
            .directory(migrations.toFile())
            .redirectErrorStream(true)
            .start();
    String head = new String(git.getInputStream().readAllBytes()).strip();
    if (git.waitFor() == 0) {
      assertEquals(head, version.getString("commit"), answer.body());
    } else {
      assertEquals("unknown", version.getString("commit"), answer.body());
    }
  }
}
