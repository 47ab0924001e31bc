package com.llmchat.accounts.control;

import com.llmchat.accounts.entity.LoginThrottle;
import com.llmchat.platform.control.OperatorCommand;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The operator's way back in: {@code bin/llmchat admin reset-password <user>} runs this against the
 * database (LLMCHAT_DB_URL, _USER, _PASSWORD). It sets a one-time password that must be changed at
 * the next login, enables the account, ends its sessions and lifts a login lock.
 */
public final class ResetPasswordCommand {

  private ResetPasswordCommand() {}

  public static void main(String[] args) throws SQLException {
    if (args.length != 1 || args[0].isBlank()) {
      System.err.println("usage: reset-password <username>");
      System.exit(2);
    }
    String username = args[0];
    String key = username.toLowerCase(Locale.ROOT);
    String password = PasswordHash.randomPassword();
    String hash = PasswordHash.hash(password, PasswordHash.DEFAULT_ITERATIONS);
    try (Connection db = OperatorCommand.database()) {
      long id;
      try (PreparedStatement update =
          db.prepareStatement(
              "update account set password_hash = ?, must_change_password = true, enabled = true,"
                  + " tokens_valid_after = date_trunc('second', now()), version = version + 1"
                  + " where username_key = ? returning id")) {
        update.setString(1, hash);
        update.setString(2, key);
        try (ResultSet row = update.executeQuery()) {
          if (!row.next()) {
            System.err.println("No account named '" + username + "'.");
            db.rollback();
            System.exit(1);
          }
          id = row.getLong(1);
        }
      }
      execute(
          db,
          "update refresh_token set revoked_at = now() where account_id = ? and revoked_at is null",
          id);
      // the account's delay and its locks from every address
      try (PreparedStatement unlock =
          db.prepareStatement(
              "delete from login_throttle where subject = ? or starts_with(subject, ?)")) {
        unlock.setString(1, LoginThrottle.ofAccount(key));
        unlock.setString(2, LoginThrottle.ofAccountFrom(key, ""));
        unlock.executeUpdate();
      }
      OperatorCommand.audit(
          db, "account-reset-password", username, "bin/llmchat admin reset-password");
      db.commit();
    }
    System.out.println(password);
  }

  private static void execute(Connection db, String sql, long id) throws SQLException {
    try (PreparedStatement statement = db.prepareStatement(sql)) {
      statement.setLong(1, id);
      statement.executeUpdate();
    }
  }
}
