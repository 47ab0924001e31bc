package com.llmchat.providers.control;

import com.llmchat.platform.control.OperatorCommand;
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
public final class RotateMasterKeyCommand {

  private RotateMasterKeyCommand() {}

  public static void main(String[] args) throws SQLException {
    boolean retire = args.length == 1 && args[0].equals("--retire-old");
    if (args.length > 1 || (args.length == 1 && !retire)) {
      System.err.println("usage: rotate-master-key [--retire-old]");
      System.exit(2);
    }
    if (System.getenv("LLMCHAT_MASTER_KEY") != null) {
      System.err.println(
          "LLMCHAT_MASTER_KEY is set: put the new key there and the old one in"
              + " LLMCHAT_MASTER_KEY_PREVIOUS, then restart; the server re-seals at start.");
      System.exit(2);
    }
    var file = new MasterKeyFile(Path.of(OperatorCommand.required("LLMCHAT_MASTER_KEY_FILE")));
    try (Connection db = OperatorCommand.database()) {
      if (retire) {
        retire(db, file);
        return;
      }
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
      OperatorCommand.audit(
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
  }

  private static void retire(Connection db, MasterKeyFile file) throws SQLException {
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
          System.err.println(
              row.getLong(1)
                  + " provider keys still use an older master key: run rotate-master-key first.");
          System.exit(1);
        }
      }
    }
    file.retireOlderKeys();
    OperatorCommand.audit(
        db, "master-key-retired", "master-key", (keys.size() - 1) + " older keys removed");
    db.commit();
    System.out.println("Only master key " + current + " is left in " + file.path() + ".");
  }
}
