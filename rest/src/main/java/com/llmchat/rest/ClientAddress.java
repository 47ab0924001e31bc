package com.llmchat.rest;

import jakarta.servlet.http.HttpServletRequest;

/** The caller's address as the server sees it (WildFly applies X-Forwarded-For only when told). */
final class ClientAddress {

  private ClientAddress() {}

  static String of(HttpServletRequest request) {
    return request == null ? null : request.getRemoteAddr();
  }
}
