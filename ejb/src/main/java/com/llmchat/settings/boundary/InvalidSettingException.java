package com.llmchat.settings.boundary;

import jakarta.ejb.ApplicationException;

/** A setting name or value the server does not accept. */
@ApplicationException(rollback = true)
public class InvalidSettingException extends RuntimeException {

  public InvalidSettingException(String message) {
    super(message);
  }
}
