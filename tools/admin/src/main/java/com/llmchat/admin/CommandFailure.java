package com.llmchat.admin;

/**
 * Why a command did nothing (or undid what it did): the message for the operator and the exit
 * status of the program. {@link Admin} prints it; nothing else in the commands exits.
 */
final class CommandFailure extends Exception {

  private static final long serialVersionUID = 1L;

  /** Wrong arguments or settings: nothing was tried. */
  static final int USAGE = 2;

  /** The command was understood and refused (no such account, keys still in use). */
  static final int REFUSED = 1;

  /** A backup that cannot be restored (damaged, another schema version): nothing changed. */
  static final int RESTORE_REFUSED = 3;

  private final int status;

  CommandFailure(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }
}
