package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every response, of the UI and of the API, answered or refused, carries the browser security
 * headers; HSTS comes only when TLS is in use. CORS preflights offer every method the API has.
 */
class SecurityHeadersIT extends DeployedEar {

  private static final Map<String, String> ALWAYS =
      Map.of(
          "x-content-type-options", "nosniff",
          "referrer-policy", "same-origin",
          "x-frame-options", "SAMEORIGIN");

  @Test
  void everyKindOfResponseCarriesTheSecurityHeaders() throws Exception {
    List<String> missing = new ArrayList<>();
    for (String path :
        List.of(
            "/login.xhtml",
            "/",
            "/jakarta.faces.resource/css/llmchat.css.xhtml",
            "/api/v1/info",
            "/api/v1/users/me",
            "/api/v1/no-such-endpoint",
            "/no-such-page.xhtml")) {
      HttpResponse<String> response = Platform.get(Platform.APP + path, null);
      for (var header : ALWAYS.entrySet()) {
        String value = response.headers().firstValue(header.getKey()).orElse(null);
        if (!header.getValue().equals(value)) {
          missing.add(path + " (" + response.statusCode() + "): " + header.getKey() + "=" + value);
        }
      }
      String permissions = response.headers().firstValue("permissions-policy").orElse("");
      if (!permissions.contains("camera=()") || !permissions.contains("microphone=()")) {
        missing.add(path + ": permissions-policy=" + permissions);
      }
      if (response.headers().firstValue("strict-transport-security").isPresent()) {
        missing.add(path + ": HSTS over plain HTTP from a client that is no proxy");
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void hstsOnlyWhenATrustedProxySaysTheClientUsedHttps() throws Exception {
    // the test run trusts 127.0.0.1 as a proxy
    HttpResponse<String> proxied =
        Platform.HTTP.send(
            HttpRequest.newBuilder(URI.create(Platform.APP + "/api/v1/info"))
                .header("X-Forwarded-Proto", "https")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(
        proxied.headers().firstValue("strict-transport-security").orElse("").startsWith("max-age="),
        proxied.headers().map().toString());
    HttpResponse<String> page =
        Platform.HTTP.send(
            HttpRequest.newBuilder(URI.create(Platform.APP + "/login.xhtml"))
                .header("X-Forwarded-Proto", "https")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(page.headers().firstValue("strict-transport-security").isPresent());

    // the same header from an address that is not a proxy changes nothing
    URI app = URI.create(Platform.APP);
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
      socket.connect(new InetSocketAddress(app.getHost(), app.getPort()), 5_000);
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("GET /api/v1/info HTTP/1.1\r\nHost: "
                      + app.getHost()
                      + "\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      List<String> head = new ArrayList<>();
      var reader =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      for (String line = reader.readLine(); line != null && !line.isEmpty(); ) {
        head.add(line.toLowerCase());
        line = reader.readLine();
      }
      assertTrue(head.get(0).contains(" 200 "), head.toString());
      assertTrue(
          head.stream().noneMatch(line -> line.startsWith("strict-transport-security")),
          head.toString());
    }
  }

  @Test
  void corsPreflightOffersEveryMethodTheApiUses() throws Exception {
    HttpResponse<String> preflight =
        Platform.HTTP.send(
            HttpRequest.newBuilder(URI.create(Platform.APP + "/api/v1/conversations/1"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://intranet.example.test")
                .header("Access-Control-Request-Method", "PATCH")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String methods = preflight.headers().firstValue("access-control-allow-methods").orElse("");
    for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
      assertTrue(methods.contains(method), methods);
    }
  }
}
