package com.llmchat.admin;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Tables in an order that loads every referenced table before the tables referring to it. */
final class ForeignKeyOrder {

  private ForeignKeyOrder() {}

  static List<String> of(Connection db, Set<String> tables) throws SQLException {
    Map<String, Set<String>> parents = new HashMap<>();
    try (Statement query = db.createStatement();
        ResultSet found =
            query.executeQuery(
                "select child.relname, parent.relname from pg_constraint c"
                    + " join pg_class child on child.oid = c.conrelid"
                    + " join pg_class parent on parent.oid = c.confrelid"
                    + " join pg_namespace n on n.oid = child.relnamespace"
                    + " where c.contype = 'f' and n.nspname = current_schema()")) {
      while (found.next()) {
        parents.computeIfAbsent(found.getString(1), t -> new TreeSet<>()).add(found.getString(2));
      }
    }
    return sort(tables, parents);
  }

  /**
   * Parents first, by name where the keys leave a choice; a table referring to itself needs no
   * order (its rows are checked at the end of the statement that loads them).
   */
  static List<String> sort(Set<String> tables, Map<String, Set<String>> parentsOf) {
    List<String> ordered = new ArrayList<>();
    Set<String> left = new TreeSet<>(tables);
    while (!left.isEmpty()) {
      String next =
          left.stream()
              .filter(
                  table ->
                      parentsOf.getOrDefault(table, Set.of()).stream()
                          .noneMatch(parent -> !parent.equals(table) && left.contains(parent)))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("foreign keys in a cycle: " + left));
      ordered.add(next);
      left.remove(next);
    }
    return ordered;
  }
}
