package com.llmchat.platform.boundary;

/**
 * Why a boundary refused a request, as the protocol edges answer it: an HTTP status and a stable
 * problem type. Each component's reasons carry their own, so one mapper serves them all.
 */
public interface Refusal {

  int status();

  /** The last segment of the problem+json type, e.g. {@code provider-not-found}. */
  String problemType();

  /** A refusal with its reason; the exceptions of the components' boundaries. */
  interface Refused {
    Refusal refusal();

    String getMessage();
  }
}
