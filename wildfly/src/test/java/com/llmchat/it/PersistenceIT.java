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
