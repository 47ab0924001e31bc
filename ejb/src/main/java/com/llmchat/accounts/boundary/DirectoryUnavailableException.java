package com.llmchat.accounts.boundary;

import jakarta.ejb.ApplicationException;

/**
 * A login needed a company directory and none that could know the name answered: not a wrong
 * password (nothing is counted against the name), and local logins — the break-glass
 * administrator's — still work.
 */
@ApplicationException(rollback = false)
public class DirectoryUnavailableException extends RuntimeException {

  public DirectoryUnavailableException(String why) {
    super(why);
  }
}
