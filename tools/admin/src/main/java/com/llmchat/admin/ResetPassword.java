package com.llmchat.admin;

import com.llmchat.accounts.control.PasswordHash;
import com.llmchat.accounts.entity.LoginThrottle;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * The operator's way back in: {@code bin/llmchat admin reset-password <user>}. Sets a one-time
 * password that must be changed at the next login (printed, and nowhere stored in clear), enables
 * the account, ends its sessions and lifts its login locks, in one transaction.
 */
final class ResetPassword {

  private ResetPassword() {}

  static void run(List<String> args) throws SQLException, CommandFailure {
    if (args.size() != 1 || args.get(0).isBlank()) {
      throw new CommandFailure(CommandFailure.USAGE, "usage: reset-password USERNAME");
    }
    String username = args.get(0);
    String key = username.toLowerCase(Locale.ROOT);
    String password = PasswordHash.randomPassword();
    String hash = PasswordHash.hash(password, PasswordHash.DEFAULT_ITERATIONS);
    try (Connection db = OperatorDatabase.connect()) {
      long id;
      try (PreparedStatement update =
          db.prepareStatement(
              "update account set password_hash = ?, must_change_password = true, enabled = true,"
                  + " tokens_valid_after = date_trunc('second', now()), version = version + 1"
                  + " where username_key = ? and origin is null returning id")) {
        update.setString(1, hash);
        update.setString(2, key);
        try (ResultSet row = update.executeQuery()) {
          if (!row.next()) {
            db.rollback();
            throw new CommandFailure(
                CommandFailure.REFUSED,
                "No local account named '"
                    + username
                    + "' (a company directory's account has the directory's password).");
          }
          id = row.getLong(1);
        }
      }
      try (PreparedStatement revoke =
          db.prepareStatement(
              "update refresh_token set revoked_at = now()"
                  + " where account_id = ? and revoked_at is null")) {
        revoke.setLong(1, id);
        revoke.executeUpdate();
      }
      // the account's delay and its locks from every address
      try (PreparedStatement unlock =
          db.prepareStatement(
              "delete from login_throttle where subject = ? or starts_with(subject, ?)")) {
        unlock.setString(1, LoginThrottle.ofAccount(key));
        unlock.setString(2, LoginThrottle.ofAccountFrom(key, ""));
        unlock.executeUpdate();
      }
      OperatorDatabase.audit(
          db, "account-reset-password", username, "bin/llmchat admin reset-password");
      db.commit();
    }
    System.out.println(password);
  }
}
