package com.llmchat.providers.boundary;

/** The requested model is not one the caller may use. */
public class UnknownModelException extends RuntimeException {

  public UnknownModelException(String id) {
    super("Unknown model: " + id);
  }
}
