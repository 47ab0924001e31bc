package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bad input on every endpoint, found by reflection like the ownership harness: malformed, deeply
 * nested and huge JSON, absurd numbers, invalid UTF-8, the wrong content type, and absurd query
 * parameters. Every answer is a 4xx with a problem+json body — never a 500, never a stack trace —
 * and an administrator sends them, so that no role check stops them before the parsing does.
 */
class MalformedInputIT extends DeployedEar {

  /** Bodies that no endpoint may accept, by what is wrong with them. */
  private static Map<String, byte[]> badBodies() {
    Map<String, byte[]> bodies = new LinkedHashMap<>();
    bodies.put("truncated", "{\"name\": \"x\", \"value\":".getBytes(StandardCharsets.UTF_8));
    // the JSON parser skipping an unknown field's value never returned from a body ending in it
    bodies.put(
        "cut off inside an unknown field",
        "{\"zzUnknown\":{\"a\":[1,".getBytes(StandardCharsets.UTF_8));
    bodies.put(
        "closing what it never opened", "{\"name\":\"x\"]}".getBytes(StandardCharsets.UTF_8));
    bodies.put("not json", "name=x&value=y".getBytes(StandardCharsets.UTF_8));
    bodies.put("nested 20000 deep", ("[".repeat(20_000) + "]".repeat(20_000)).getBytes());
    bodies.put(
        "nested objects",
        ("{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)).getBytes(StandardCharsets.UTF_8));
    bodies.put(
        "absurd numbers",
        ("{\"value\":1e999999,\"temperature\":1e308,\"maxTokens\":99999999999999999999999,"
                + "\"contextLimit\":-1e30,\"priority\":1.5,\"readTimeoutMs\":-9223372036854775809,"
                + "\"connectTimeoutMs\":1e400,\"enabled\":12}")
            .getBytes(StandardCharsets.UTF_8));
    bodies.put(
        "wrong types",
        ("{\"name\":[1,2],\"value\":{\"x\":1},\"content\":42,\"title\":true,\"role\":{},"
                + "\"baseUrl\":[],\"model\":null,\"username\":7,\"password\":[]}")
            .getBytes(StandardCharsets.UTF_8));
    byte[] invalidUtf8 = "{\"value\":\"\",\"content\":\"\",\"name\":\"\"}".getBytes();
    byte[] withBadBytes = new byte[invalidUtf8.length + 4];
    System.arraycopy(invalidUtf8, 0, withBadBytes, 0, 10);
    withBadBytes[10] = (byte) 0xC3;
    withBadBytes[11] = (byte) 0x28;
    withBadBytes[12] = (byte) 0xFF;
    withBadBytes[13] = (byte) 0xFE;
    System.arraycopy(invalidUtf8, 10, withBadBytes, 14, invalidUtf8.length - 10);
    bodies.put("invalid UTF-8", withBadBytes);
    bodies.put("huge string", ("{\"value\":\"" + "x".repeat(900_000) + "\"}").getBytes());
    bodies.put("empty", new byte[0]);
    return bodies;
  }

  /** The bad bodies that are well-formed JSON (numbers, types and sizes are what is wrong). */
  private static final java.util.Set<String> WELL_FORMED =
      java.util.Set.of("absurd numbers", "wrong types", "huge string");

  private static final String ABSURD_QUERY =
      "?limit=99999999999999999999&size=-5&page=1e9&before=abc&cursor=%FF%FE%00"
          + "&from=2026-13-45&to=yesterday&q=%25%27%22%3B--&action=%00&search="
          + "x".repeat(300);

  @Test
  void everyEndpointAnswersBadInputWithA4xxProblem() throws Exception {
    Platform.simulator();
    var admin = TestAccounts.admin();
    var bystander = TestAccounts.user("bystander-malformed");
    Map<String, String> fixtures =
        Map.ofEntries(
            Map.entry("id", String.valueOf(bystander.id())),
            Map.entry("name", "registration"),
            Map.entry("providerId", "999999"),
            Map.entry("modelId", "999999"),
            Map.entry("mappingId", "999999"),
            Map.entry("presetId", "999999"),
            Map.entry("attachmentId", "999999"),
            Map.entry("conversationId", "999999"),
            Map.entry("messageId", "999999"),
            Map.entry("keyId", "999999"),
            Map.entry("file", "index.html"),
            Map.entry("groupId", "999999"),
            Map.entry("accountId", "999999"),
            Map.entry("budgetId", "999999"),
            Map.entry("alias", "no-such-model"));
    List<String> wrong = new ArrayList<>();
    int calls = 0;
    for (var endpoint : OwnershipIT.endpoints()) {
      String path = "/api/" + OwnershipIT.fill(endpoint.path(), fixtures);
      if (endpoint.hasBody()) {
        for (var bad : badBodies().entrySet()) {
          for (String type : List.of("application/json", "text/plain")) {
            calls++;
            // well-formed JSON of the wrong shape may be ignored by an endpoint that has no such
            // fields; broken JSON, or any body of the wrong type, never is
            boolean brokenAnyway = type.equals("text/plain") || !WELL_FORMED.contains(bad.getKey());
            check(
                endpoint + " with " + bad.getKey() + " as " + type,
                send(endpoint.method(), path, admin.accessToken(), type, bad.getValue()),
                wrong,
                !brokenAnyway);
          }
        }
      } else if (endpoint.method().equals("GET")) {
        calls++;
        check(
            endpoint + " with absurd query parameters",
            send("GET", path + ABSURD_QUERY, admin.accessToken(), null, null),
            wrong,
            true);
      }
    }
    assertTrue(calls >= 200, "calls made: " + calls);
    assertEquals(List.of(), wrong, String.join("\n", wrong));
  }

  /** {@code successAllowed}: the input may be ignored; otherwise it must be a 4xx problem. */
  private static void check(
      String what, HttpResponse<String> answer, List<String> wrong, boolean successAllowed) {
    int status = answer.statusCode();
    String type = answer.headers().firstValue("Content-Type").orElse("");
    String body = answer.body();
    boolean success = status >= 200 && status < 300;
    if (status >= 500) {
      wrong.add(what + ": " + status + " " + abbreviate(body));
    } else if (success && !successAllowed) {
      wrong.add(what + ": accepted (" + status + ")");
    } else if (!success && !type.startsWith("application/problem+json")) {
      wrong.add(what + ": " + status + " as " + type + ": " + abbreviate(body));
    } else if (body.contains("Exception") || body.contains("\tat ") || body.contains("at com.")) {
      wrong.add(what + ": a stack trace or exception name: " + abbreviate(body));
    }
  }

  private static String abbreviate(String body) {
    return body.length() > 300 ? body.substring(0, 300) + "…" : body;
  }

  private static HttpResponse<String> send(
      String method, String path, String token, String contentType, byte[] body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(Platform.APP + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + token);
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    return Platform.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
