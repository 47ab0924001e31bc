package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** EclipseLink is the JPA provider and keeps data in PostgreSQL under the Flyway schema. */
class PersistenceIT extends DeployedEar {

  @Test
  void eclipseLinkOnPostgresqlServesThePersistenceUnit() throws Exception {
    HttpResponse<String> response =
        Platform.get(Platform.APP + "/api/v1/admin/system", Tokens.admin());
    assertEquals(200, response.statusCode(), response.body());
    var system = Json.object(response.body());
    assertTrue(
        system.getString("persistenceProvider").startsWith("org.eclipse.persistence."),
        system.toString());
    assertTrue(system.getString("database").startsWith("PostgreSQL"), system.toString());
  }

  @Test
  void settingIsPersistedAndReadBack() throws Exception {
    try {
      HttpResponse<String> put = put("registration", "{\"value\":\"open\"}");
      assertEquals(200, put.statusCode(), put.body());

      HttpResponse<String> read =
          Platform.get(Platform.APP + "/api/v1/admin/settings/registration", Tokens.admin());
      assertEquals(200, read.statusCode());
      assertEquals("open", Json.object(read.body()).getString("value"));
    } finally {
      assertEquals(200, put("registration", "{\"value\":\"closed\"}").statusCode());
    }
  }

  @Test
  void installationIdentitySurvivesRedeployment() throws Exception {
    // each test class deploys the EAR anew: the identity comes from the database, not memory
    String first =
        Json.object(Platform.get(Platform.APP + "/api/v1/info", null).body())
            .getString("instanceId");
    HttpResponse<String> setting =
        Platform.get(Platform.APP + "/api/v1/admin/settings/instance.id", Tokens.admin());
    assertEquals(first, Json.object(setting.body()).getString("value"));
  }

  @Test
  void invalidSettingNameIsABadRequest() throws Exception {
    HttpResponse<String> response = put("Not%20Valid", "{\"value\":\"x\"}");
    assertEquals(400, response.statusCode());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
  }

  @Test
  void malformedJsonIsABadRequestNotAServerError() throws Exception {
    HttpResponse<String> response = put("registration", "not json");
    assertEquals(400, response.statusCode(), response.body());
    assertTrue(
        Json.object(response.body()).getString("type").endsWith("/malformed-body"),
        response.body());
  }

  @Test
  void aBodyAboveTheLimitIsRefusedWith413AndNothingIsStored() throws Exception {
    String before = conversationsAndMessages();
    for (boolean chunked : new boolean[] {false, true}) {
      String answer = postTwoMegabytes(chunked);
      assertTrue(
          answer.startsWith("HTTP/1.1 413 "), (chunked ? "chunked: " : "declared: ") + answer);
      assertTrue(answer.contains("application/problem+json"), answer);
      assertTrue(answer.contains("/request-too-large"), answer);
    }
    assertEquals(before, conversationsAndMessages(), "something was stored");
  }

  private static String conversationsAndMessages() throws Exception {
    return Platform.queryOne("select count(*) from conversation")
        + " "
        + Platform.queryOne("select count(*) from message");
  }

  /**
   * A 2 MB conversation title over a plain socket, as a client that sends without waiting: with a
   * Content-Length (nothing of it needs to be read) or chunked (refused once 1 MB was read).
   */
  private static String postTwoMegabytes(boolean chunked) throws Exception {
    java.net.URI app = java.net.URI.create(Platform.APP);
    try (var socket = new java.net.Socket(app.getHost(), app.getPort())) {
      socket.setSoTimeout(20_000);
      var out = socket.getOutputStream();
      out.write(
          ("POST /api/v1/conversations HTTP/1.1\r\nHost: "
                  + app.getHost()
                  + "\r\nAuthorization: Bearer "
                  + Tokens.user()
                  + "\r\nContent-Type: application/json\r\nConnection: close\r\n"
                  + (chunked
                      ? "Transfer-Encoding: chunked\r\n\r\n"
                      : "Content-Length: " + (2 * 1024 * 1024) + "\r\n\r\n"))
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      Thread sender =
          new Thread(
              () -> {
                byte[] piece = new byte[64 * 1024];
                java.util.Arrays.fill(piece, (byte) 'x');
                try {
                  if (chunked) {
                    out.write("a\r\n{\"title\":\"\r\n".getBytes());
                    for (int i = 0; i < 32; i++) {
                      out.write((Integer.toHexString(piece.length) + "\r\n").getBytes());
                      out.write(piece);
                      out.write("\r\n".getBytes());
                    }
                    out.write("0\r\n\r\n".getBytes());
                  }
                  out.flush();
                } catch (java.io.IOException refusedMidway) {
                  // the server answered and closed before taking it all: that is the point
                }
              });
      sender.start();
      var answer = new StringBuilder();
      var in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        answer.append(line).append('\n');
        if (line.contains("request-too-large") || answer.length() > 10_000) {
          break;
        }
      }
      sender.join(10_000);
      return answer.toString();
    }
  }

  @Test
  void missingValueIsABadRequest() throws Exception {
    HttpResponse<String> response = put("registration", "{}");
    assertEquals(400, response.statusCode(), response.body());
    assertTrue(Json.object(response.body()).getString("detail").contains("value"), response.body());
  }

  @Test
  void installationIdentityCannotBeOverwritten() throws Exception {
    assertEquals(400, put("instance.id", "{\"value\":\"hijacked\"}").statusCode());
  }

  @Test
  void unknownSettingIsNotFound() throws Exception {
    HttpResponse<String> response =
        Platform.get(Platform.APP + "/api/v1/admin/settings/no.such.thing", Tokens.admin());
    assertEquals(404, response.statusCode());
  }

  private static HttpResponse<String> put(String name, String body) throws Exception {
    return Platform.HTTP.send(
        Platform.json(Platform.APP + "/api/v1/admin/settings/" + name, Tokens.admin())
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
