package com.llmchat.platform.control;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * What the operator's command-line tools (bin/llmchat admin ...) share: the database from
 * LLMCHAT_DB_URL, _USER and _PASSWORD, in one transaction, and an audit event for what they did.
 */
public final class OperatorCommand {

  private OperatorCommand() {}

  /** A connection with auto-commit off; the command commits. */
  public static Connection database() throws SQLException {
    Connection db =
        DriverManager.getConnection(
            required("LLMCHAT_DB_URL"),
            required("LLMCHAT_DB_USER"),
            required("LLMCHAT_DB_PASSWORD"));
    db.setAutoCommit(false);
    return db;
  }

  public static void audit(Connection db, String action, String target, String detail)
      throws SQLException {
    try (PreparedStatement audit =
        db.prepareStatement(
            "insert into audit_event (id, occurred_at, actor, action, target, outcome, detail)"
                + " values (nextval('audit_event_seq'), now(), 'operator', ?, ?, 'SUCCESS', ?)")) {
      audit.setString(1, action);
      audit.setString(2, target);
      audit.setString(3, detail);
      audit.executeUpdate();
    }
  }

  /** An environment variable the command cannot do without; exits with 2 when it is unset. */
  public static String required(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      System.err.println(name + " is not set");
      System.exit(2);
    }
    return value;
  }
}
