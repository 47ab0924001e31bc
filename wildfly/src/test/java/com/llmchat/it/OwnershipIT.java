package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The ownership harness: finds every JAX-RS resource method of the REST module by reflection and
 * calls it as user B, aimed at user A's resources. Nothing of A may come back and nothing of A may
 * change. A new endpoint is covered the day it is written; one with a new path parameter fails here
 * until a fixture says whose value to put in it.
 */
class OwnershipIT extends DeployedEar {

  private static final String RESOURCE_PACKAGE = "com.llmchat.rest";

  /**
   * What user A owns: a provider with a model, a conversation with a question and a reply, an API
   * key.
   */
  record Owned(
      long providerId,
      long modelId,
      String alias,
      long conversationId,
      long messageId,
      long keyId,
      long presetId,
      long attachmentId) {

    static Owned by(TestAccounts.Login a) throws Exception {
      var simulator = Platform.extraSimulator("127.0.0.2", null, null);
      var provider =
          Api.post(
              "v1/providers",
              a.accessToken(),
              "{\"name\":"
                  + Api.q(a.username() + " provider")
                  + ",\"baseUrl\":"
                  + Api.q(simulator.baseUrl())
                  + "}");
      assertEquals(201, provider.statusCode(), provider.body());
      long providerId = Json.object(provider.body()).getJsonNumber("id").longValue();
      String alias = a.username() + "-model";
      var model =
          Api.post(
              "v1/providers/" + providerId + "/models",
              a.accessToken(),
              "{\"upstreamId\":\"demo\",\"alias\":" + Api.q(alias) + "}");
      assertEquals(201, model.statusCode(), model.body());
      long conversationId = SseClient.conversation(a.accessToken(), alias);
      var result =
          SseClient.send(
              a.accessToken(),
              conversationId,
              a.username() + " asks [sim tokens=2 gap-ms=1]",
              null);
      var key = Api.post("v1/keys", a.accessToken(), "{\"name\":\"A's application\"}");
      assertEquals(201, key.statusCode(), key.body());
      var preset =
          Api.post(
              "v1/presets",
              a.accessToken(),
              "{\"name\":"
                  + Api.q(a.username() + " preset")
                  + ",\"model\":"
                  + Api.q(alias)
                  + ",\"greeting\":"
                  + Api.q(a.username() + " greets")
                  + "}");
      assertEquals(201, preset.statusCode(), preset.body());
      // a file waiting in the conversation for A's next message
      var file =
          AttachmentsIT.upload(
              a.accessToken(),
              conversationId,
              a.username() + " notes.md",
              (a.username() + " wrote this").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertEquals(201, file.status(), file.text());
      return new Owned(
          providerId,
          Json.object(model.body()).getJsonNumber("id").longValue(),
          alias,
          conversationId,
          result.replyId(),
          Json.object(key.body()).getJsonObject("key").getJsonNumber("id").longValue(),
          Json.object(preset.body()).getJsonNumber("id").longValue(),
          file.body().getJsonNumber("id").longValue());
    }
  }

  /** Path parameter -> how to fill it with a resource of user A. */
  private static Map<String, String> pathFixtures(TestAccounts.Login a, Owned owned) {
    return Map.ofEntries(
        Map.entry("id", String.valueOf(a.id())),
        Map.entry("name", "registration"),
        Map.entry("providerId", String.valueOf(owned.providerId())),
        Map.entry("modelId", String.valueOf(owned.modelId())),
        Map.entry("conversationId", String.valueOf(owned.conversationId())),
        Map.entry("messageId", String.valueOf(owned.messageId())),
        Map.entry("keyId", String.valueOf(owned.keyId())),
        // the API documentation's files are nobody's (and public): a name of none
        Map.entry("file", "not-a-docs-file.js"),
        Map.entry("groupId", "1"),
        Map.entry("accountId", String.valueOf(a.id())),
        Map.entry("budgetId", "1"),
        // administrators' only (directories, identity providers): B is refused before it matters
        Map.entry("mappingId", "1"),
        Map.entry("presetId", String.valueOf(owned.presetId())),
        Map.entry("attachmentId", String.valueOf(owned.attachmentId())),
        Map.entry("alias", owned.alias()));
  }

  /**
   * A body naming A and A's things wherever a body could name them; fields the endpoint ignores do
   * no harm.
   */
  private static String bodyFixture(TestAccounts.Login a, Owned owned) {
    return "{\"model\":"
        + Api.q(owned.alias())
        + ",\"content\":\"B was here\",\"title\":\"B was here\",\"upstreamId\":\"demo\""
        + ",\"conversationId\":"
        + owned.conversationId()
        + ",\"providerId\":"
        + owned.providerId()
        + ",\"presetId\":"
        + owned.presetId()
        + ",\"attachmentIds\":["
        + owned.attachmentId()
        + "]"
        + ",\"id\":"
        + a.id()
        + ",\"accountId\":"
        + a.id()
        + ",\"userId\":"
        + a.id()
        + ",\"ownerId\":"
        + a.id()
        + ",\"username\":"
        + Api.q(a.username())
        + ",\"owner\":"
        + Api.q(a.username())
        + ",\"role\":\"ADMIN\",\"value\":\"open\"}";
  }

  /** One resource method; {@code adminOnly} when its roles allow administrators only. */
  record Endpoint(String method, String path, boolean hasBody, boolean adminOnly) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  @Test
  void userBCanNeitherSeeNorChangeUserA() throws Exception {
    Platform.simulator();
    var a = TestAccounts.user("owner-a");
    var b = TestAccounts.user("intruder-b");
    Owned owned = Owned.by(a);
    String profileBefore = Api.get("v1/users/me", a.accessToken()).body();
    String adminViewBefore = adminView(a);
    String thingsBefore = things(a, owned);

    List<Endpoint> endpoints = endpoints();
    assertTrue(endpoints.size() >= 20, "found only " + endpoints);
    List<String> leaks = new ArrayList<>();
    for (Endpoint endpoint : endpoints) {
      String path = fill(endpoint.path(), pathFixtures(a, owned));
      HttpResponse<String> response =
          Api.call(
              endpoint.method(),
              path,
              b.accessToken(),
              endpoint.hasBody() ? bodyFixture(a, owned) : null);
      int status = response.statusCode();
      boolean success = status >= 200 && status < 300;
      if (endpoint.path().contains("{") && success) {
        leaks.add(endpoint + " answered " + status + " to B for A's resource");
      }
      if (success
          && (response.body().contains(a.username())
              || response.body().contains(a.username() + "@example.com"))) {
        leaks.add(endpoint + " showed A's data to B: " + response.body());
      }
      assertTrue(status != 500, endpoint + " failed with 500: " + response.body());
    }
    assertTrue(leaks.isEmpty(), String.join("\n", leaks));

    assertEquals(
        profileBefore, Api.get("v1/users/me", a.accessToken()).body(), "A's profile changed");
    assertEquals(adminViewBefore, adminView(a), "A's account changed");
    assertEquals(thingsBefore, things(a, owned), "A's providers or conversations changed");
    TestAccounts.login(a.username(), a.password());
  }

  /** A's providers, models, conversations, messages and API keys as A sees them. */
  private static String things(TestAccounts.Login a, Owned owned) throws Exception {
    return Api.get("v1/providers", a.accessToken()).body()
        + Api.get("v1/keys", a.accessToken()).body()
        + Api.get("v1/presets", a.accessToken()).body()
        + Api.get("v1/conversations", a.accessToken()).body()
        + Api.get("v1/conversations/" + owned.conversationId() + "/messages", a.accessToken())
            .body()
        + Api.get("v1/conversations/" + owned.conversationId() + "/attachments", a.accessToken())
            .body();
  }

  private static String adminView(TestAccounts.Login a) throws IOException, InterruptedException {
    var view =
        Json.object(Api.get("v1/admin/users/" + a.id(), TestAccounts.admin().accessToken()).body());
    // the last login moves when the harness logs A in; everything else must stay
    return view.entrySet().stream()
        .filter(e -> !e.getKey().equals("lastLoginAt"))
        .map(e -> e.getKey() + "=" + e.getValue())
        .sorted()
        .toList()
        .toString();
  }

  static String fill(String template, Map<String, String> fixtures) {
    Matcher parameter = java.util.regex.Pattern.compile("\\{(\\w+)[^}]*}").matcher(template);
    StringBuilder path = new StringBuilder();
    while (parameter.find()) {
      String value = fixtures.get(parameter.group(1));
      if (value == null) {
        fail(
            "no ownership fixture for path parameter {"
                + parameter.group(1)
                + "} in "
                + template
                + ": add one to OwnershipIT.pathFixtures");
      }
      parameter.appendReplacement(path, value);
    }
    parameter.appendTail(path);
    return path.toString();
  }

  /** Every resource method of the REST module, found in its compiled classes. */
  static List<Endpoint> endpoints() throws Exception {
    URI classes =
        OwnershipIT.class.getClassLoader().getResource(RESOURCE_PACKAGE.replace('.', '/')).toURI();
    List<Endpoint> found = new ArrayList<>();
    List<String> names;
    if ("jar".equals(classes.getScheme())) {
      try (var jar = java.nio.file.FileSystems.newFileSystem(classes, Map.of());
          Stream<java.nio.file.Path> files =
              Files.list(jar.getPath(RESOURCE_PACKAGE.replace('.', '/')))) {
        names = files.map(p -> p.getFileName().toString()).toList();
      }
    } else {
      try (Stream<java.nio.file.Path> files = Files.list(java.nio.file.Path.of(classes))) {
        names = files.map(p -> p.getFileName().toString()).toList();
      }
    }
    for (String file : names) {
      if (!file.endsWith(".class") || file.contains("$")) {
        continue;
      }
      Class<?> type = Class.forName(RESOURCE_PACKAGE + "." + file.replace(".class", ""));
      Path classPath = type.getAnnotation(Path.class);
      if (classPath == null) {
        continue;
      }
      // public methods, inherited ones too (one endpoint class may serve two paths)
      for (Method method : type.getMethods()) {
        String http = httpMethod(method);
        if (http == null) {
          continue;
        }
        Path methodPath = method.getAnnotation(Path.class);
        String path = classPath.value() + (methodPath == null ? "" : "/" + methodPath.value());
        RolesAllowed roles = method.getAnnotation(RolesAllowed.class);
        if (roles == null) {
          roles = type.getAnnotation(RolesAllowed.class);
        }
        boolean adminOnly = roles != null && List.of(roles.value()).equals(List.of("admin"));
        found.add(new Endpoint(http, path.replace("//", "/"), hasEntity(method), adminOnly));
      }
    }
    return found;
  }

  private static String httpMethod(Method method) {
    for (Annotation annotation : method.getAnnotations()) {
      HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
      if (http != null) {
        return http.value();
      }
    }
    return null;
  }

  /** A parameter without JAX-RS annotations is the request entity. */
  private static boolean hasEntity(Method method) {
    for (Parameter parameter : method.getParameters()) {
      boolean annotated =
          Stream.of(parameter.getAnnotations())
              .anyMatch(a -> a.annotationType().getPackageName().startsWith("jakarta.ws.rs"));
      if (!annotated) {
        return true;
      }
    }
    return false;
  }
}
