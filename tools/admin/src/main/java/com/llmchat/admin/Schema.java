package com.llmchat.admin;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What backup and restore read of the database's schema. */
final class Schema {

  private Schema() {}

  /** The tables of the schema, by name. */
  static List<String> tables(Connection db) throws SQLException {
    return names(db, "select tablename from pg_tables where schemaname = current_schema()");
  }

  static List<String> sequences(Connection db) throws SQLException {
    return names(db, "select sequencename from pg_sequences where schemaname = current_schema()");
  }

  /**
   * The functions the migrations made (the search index's), with their argument types, as SQL:
   * those of extensions are left out.
   */
  static List<String> functions(Connection db) throws SQLException {
    return names(
        db,
        "select p.oid::regprocedure::text from pg_proc p"
            + " join pg_namespace n on n.oid = p.pronamespace"
            + " where n.nspname = current_schema() and not exists (select 1 from pg_depend d"
            + " where d.objid = p.oid and d.deptype = 'e')");
  }

  /** The newest migration applied; empty when Flyway never ran here. */
  static String version(Connection db) throws SQLException, CommandFailure {
    try (Statement query = db.createStatement();
        ResultSet found =
            query.executeQuery(
                "select version from flyway_schema_history where success and version is not null"
                    + " order by installed_rank desc limit 1")) {
      if (!found.next()) {
        throw new CommandFailure(CommandFailure.REFUSED, "the database has no migrated schema");
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

  /** A name as SQL, quoted (restore takes only names the database has, too). */
  static String quoted(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static List<String> names(Connection db, String sql) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement query = db.createStatement();
        ResultSet found = query.executeQuery(sql + " order by 1")) {
      while (found.next()) {
        names.add(found.getString(1));
      }
    }
    return names;
  }
}
