package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The client address of the audit log and login throttling: X-Forwarded-For counts only from a
 * trusted proxy (the test run trusts 127.0.0.1, where its HTTP client connects from), and then only
 * the hops the proxies added.
 */
class ClientAddressIT extends DeployedEar {

  @Test
  void aTrustedProxysForwardedForNamesTheClientInTheAuditLog() throws Exception {
    String name = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
    failedLogin(name, "198.51.100.1, 203.0.113.7");
    assertEquals(
        "203.0.113.7",
        Platform.queryOne(
            "select client_ip from audit_event where action = 'login' and target = ?"
                + " order by id desc limit 1",
            name));
  }

  @Test
  void withoutTheHeaderThePeerIsTheClient() throws Exception {
    String name = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
    failedLogin(name, null);
    assertEquals(
        "127.0.0.1",
        Platform.queryOne(
            "select client_ip from audit_event where action = 'login' and target = ?"
                + " order by id desc limit 1",
            name));
  }

  @Test
  void anUntrustedPeerCannotChooseItsAddress() throws Exception {
    String name = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
    String body = "{\"username\":" + Api.q(name) + ",\"password\":\"wrong-password\"}";
    URI app = URI.create(Platform.APP);
    // connect from 127.0.0.2, which is not a trusted proxy in the test run
    try (var socket = new java.net.Socket()) {
      socket.bind(new java.net.InetSocketAddress("127.0.0.2", 0));
      socket.connect(new java.net.InetSocketAddress(app.getHost(), app.getPort()), 5_000);
      socket.setSoTimeout(10_000);
      byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      String request =
          "POST /api/v1/auth/login HTTP/1.1\r\nHost: "
              + app.getHost()
              + "\r\nContent-Type: application/json\r\nX-Forwarded-For: 203.0.113.99\r\n"
              + "Connection: close\r\nContent-Length: "
              + bytes.length
              + "\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().write(bytes);
      String status =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(
                      socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
              .readLine();
      assertEquals("HTTP/1.1 401 Unauthorized", status);
    }
    assertEquals(
        "127.0.0.2",
        Platform.queryOne(
            "select client_ip from audit_event where action = 'login' and target = ?"
                + " order by id desc limit 1",
            name));
  }

  private static void failedLogin(String username, String forwardedFor) throws Exception {
    HttpRequest.Builder login =
        HttpRequest.newBuilder(URI.create(Platform.APP + "/api/v1/auth/login"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"username\":" + Api.q(username) + ",\"password\":\"wrong-password\"}"));
    if (forwardedFor != null) {
      login.header("X-Forwarded-For", forwardedFor);
    }
    HttpResponse<String> response =
        Platform.HTTP.send(login.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, response.statusCode(), response.body());
  }
}
