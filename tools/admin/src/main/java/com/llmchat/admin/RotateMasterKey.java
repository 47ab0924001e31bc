package com.llmchat.admin;

import com.llmchat.identity.entity.Directory;
import com.llmchat.identity.entity.IdentityProvider;
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
    int resealed =
        reseal(
            db,
            cipher,
            "select id, api_key_sealed, base_url from provider"
                + " where api_key_sealed is not null for update",
            "update provider set api_key_sealed = ?, version = version + 1 where id = ?",
            rows -> rows.getString(3));
    int directories =
        reseal(
                db,
                cipher,
                "select id, bind_password, url, bind_dn from directory"
                    + " where bind_password is not null for update",
                "update directory set bind_password = ?, version = version + 1 where id = ?",
                rows -> Directory.sealingContext(rows.getString(3), rows.getString(4)))
            + reseal(
                db,
                cipher,
                "select id, client_secret, issuer, client_id from identity_provider"
                    + " where client_secret is not null for update",
                "update identity_provider set client_secret = ?, version = version + 1 where id = ?",
                rows -> IdentityProvider.sealingContext(rows.getString(3), rows.getString(4)));
    OperatorDatabase.audit(
        db,
        "master-key-rotated",
        "master-key",
        resealed
            + " provider keys re-sealed, and "
            + directories
            + " directory and identity provider secrets");
    db.commit();
    System.out.println(
        "Master key "
            + cipher.currentKeyId()
            + " now seals; "
            + resealed
            + " provider keys re-sealed, and "
            + directories
            + " directory and identity provider secrets. Back up "
            + file.path()
            + ".");
  }

  /** What a sealed value was sealed for, read from its row. */
  private interface SealingContext {
    String of(ResultSet row) throws SQLException;
  }

  /**
   * Re-seals with the current key every value the select finds (id, sealed value, then what its
   * context is made of); the number re-sealed.
   */
  private static int reseal(
      Connection db, CredentialCipher cipher, String select, String update, SealingContext context)
      throws SQLException {
    int resealed = 0;
    try (PreparedStatement query = db.prepareStatement(select);
        ResultSet rows = query.executeQuery();
        PreparedStatement change = db.prepareStatement(update)) {
      while (rows.next()) {
        String bound = context.of(rows);
        change.setString(1, cipher.seal(cipher.open(rows.getString(2), bound), bound));
        change.setLong(2, rows.getLong(1));
        change.executeUpdate();
        resealed++;
      }
    }
    return resealed;
  }

  private static void retire(Connection db, MasterKeyFile file)
      throws SQLException, CommandFailure {
    List<byte[]> keys = file.readOrCreate();
    String current = CredentialCipher.keyId(keys.get(0));
    try (PreparedStatement count =
        db.prepareStatement(
            "select (select count(*) from provider where api_key_sealed is not null"
                + " and api_key_sealed not like ?) + (select count(*) from directory"
                + " where bind_password is not null and bind_password not like ?)"
                + " + (select count(*) from identity_provider where client_secret is not null"
                + " and client_secret not like ?)")) {
      count.setString(1, "v1:" + current + ":%");
      count.setString(2, "v1:" + current + ":%");
      count.setString(3, "v1:" + current + ":%");
      try (ResultSet row = count.executeQuery()) {
        row.next();
        if (row.getLong(1) > 0) {
          throw new CommandFailure(
              CommandFailure.REFUSED,
              row.getLong(1)
                  + " provider keys or directory / identity provider secrets still use an older"
                  + " master key:"
                  + " run rotate-master-key first.");
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
