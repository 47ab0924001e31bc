package com.llmchat.providers.control;

/**
 * A model server sent more than this server holds for one answer: a longer line, a larger event, a
 * longer reply or body than the configured limits. The answer ends there; what came before stays.
 */
public final class UpstreamLimitException extends RuntimeException {

  public UpstreamLimitException(String what, long limit) {
    super(what + " over the limit of " + limit);
  }
}
