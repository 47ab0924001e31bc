package com.llmchat.admin;

import com.llmchat.providers.control.CredentialCipher;
import com.llmchat.providers.control.MasterKeyFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code bin/llmchat admin rotate-master-key}: puts a new master key first in the key file and
 * re-seals every provider API key with it, in one transaction. A running server picks the new key
 * up at its next use of a credential. The older key stays in the file (so that nothing sealed in
 * the meantime is lost) until {@code --retire-old} finds no credential still needing it.
 */
final class RotateMasterKey {

  private RotateMasterKey() {}

  static void run(List<String> args) throws SQLException, CommandFailure {
    boolean retire = args.equals(List.of("--retire-old"));
    if (!args.isEmpty() && !retire) {
      throw new CommandFailure(CommandFailure.USAGE, "usage: rotate-master-key [--retire-old]");
    }
    if (System.getenv("LLMCHAT_MASTER_KEY") != null) {
      throw new CommandFailure(
          CommandFailure.USAGE,
          "LLMCHAT_MASTER_KEY is set: put the new key there and the old one in"
              + " LLMCHAT_MASTER_KEY_PREVIOUS, then restart; the server re-seals at start.");
    }
    var file = new MasterKeyFile(Path.of(OperatorDatabase.required("LLMCHAT_MASTER_KEY_FILE")));
    try (Connection db = OperatorDatabase.connect()) {
      if (retire) {
        retire(db, file);
      } else {
        rotate(db, file);
      }
    }
  }

  private static void rotate(Connection db, MasterKeyFile file) throws SQLException {
    List<byte[]> keys = file.rotate();
    var cipher =
        new CredentialCipher(keys.get(0), keys.subList(1, keys.size()).toArray(byte[][]::new));
    int resealed = 0;
    try (PreparedStatement select =
            db.prepareStatement(
                "select id, base_url, api_key_sealed from provider"
                    + " where api_key_sealed is not null for update");
        ResultSet rows = select.executeQuery();
        PreparedStatement update =
            db.prepareStatement(
                "update provider set api_key_sealed = ?, version = version + 1 where id = ?")) {
      while (rows.next()) {
        String baseUrl = rows.getString(2);
        String plain = cipher.open(rows.getString(3), baseUrl);
        update.setString(1, cipher.seal(plain, baseUrl));
        update.setLong(2, rows.getLong(1));
        update.executeUpdate();
        resealed++;
      }
    }
    OperatorDatabase.audit(
        db, "master-key-rotated", "master-key", resealed + " provider keys re-sealed");
    db.commit();
    System.out.println(
        "Master key "
            + cipher.currentKeyId()
            + " now seals; "
            + resealed
            + " provider keys re-sealed. Back up "
            + file.path()
            + ".");
  }

  private static void retire(Connection db, MasterKeyFile file)
      throws SQLException, CommandFailure {
    List<byte[]> keys = file.readOrCreate();
    String current = CredentialCipher.keyId(keys.get(0));
    try (PreparedStatement count =
        db.prepareStatement(
            "select count(*) from provider where api_key_sealed is not null"
                + " and api_key_sealed not like ?")) {
      count.setString(1, "v1:" + current + ":%");
      try (ResultSet row = count.executeQuery()) {
        row.next();
        if (row.getLong(1) > 0) {
          throw new CommandFailure(
              CommandFailure.REFUSED,
              row.getLong(1)
                  + " provider keys still use an older master key: run rotate-master-key first.");
        }
      }
    }
    file.retireOlderKeys();
    OperatorDatabase.audit(
        db, "master-key-retired", "master-key", (keys.size() - 1) + " older keys removed");
    db.commit();
    System.out.println("Only master key " + current + " is left in " + file.path() + ".");
  }
}
