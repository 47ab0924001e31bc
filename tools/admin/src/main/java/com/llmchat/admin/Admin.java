package com.llmchat.admin;

import java.util.Arrays;
import java.util.List;

/**
 * The operator's commands, run by {@code bin/llmchat} with the database in LLMCHAT_DB_URL, _USER
 * and _PASSWORD: {@code backup ARCHIVE DATA_DIR}, {@code restore ARCHIVE DATA_DIR [--replace]},
 * {@code reset-password USERNAME} and {@code rotate-master-key [--retire-old]}. What a command has
 * to say goes to standard output; a refusal to standard error, with the exit status of {@link
 * CommandFailure}.
 */
public final class Admin {

  private static final String USAGE =
      "usage: backup ARCHIVE DATA_DIR | restore ARCHIVE DATA_DIR [--replace]"
          + " | reset-password USERNAME | rotate-master-key [--retire-old]";

  private Admin() {}

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (CommandFailure failure) {
      System.err.println(failure.getMessage());
      System.exit(failure.status());
    }
  }

  static void run(String[] args) throws Exception {
    if (args.length == 0) {
      throw new CommandFailure(CommandFailure.USAGE, USAGE);
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    switch (args[0]) {
      case "backup" -> Backup.run(rest);
      case "restore" -> Restore.run(rest);
      case "reset-password" -> ResetPassword.run(rest);
      case "rotate-master-key" -> RotateMasterKey.run(rest);
      default -> throw new CommandFailure(CommandFailure.USAGE, USAGE);
    }
  }
}
