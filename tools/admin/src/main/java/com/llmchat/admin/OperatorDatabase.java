package com.llmchat.admin;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * What the commands share: the database from LLMCHAT_DB_URL, _USER and _PASSWORD, in one
 * transaction, and an audit event for what they did.
 */
final class OperatorDatabase {

  private OperatorDatabase() {}

  /** A connection with auto-commit off; the command commits. */
  static Connection connect() throws SQLException, CommandFailure {
    Connection db = DriverManager.getConnection(url(), user(), password());
    db.setAutoCommit(false);
    return db;
  }

  static String url() throws CommandFailure {
    return required("LLMCHAT_DB_URL");
  }

  static String user() throws CommandFailure {
    return required("LLMCHAT_DB_USER");
  }

  static String password() throws CommandFailure {
    return required("LLMCHAT_DB_PASSWORD");
  }

  static void audit(Connection db, String action, String target, String detail)
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

  /** An environment variable the command cannot do without. */
  static String required(String name) throws CommandFailure {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new CommandFailure(CommandFailure.USAGE, name + " is not set");
    }
    return value;
  }
}
