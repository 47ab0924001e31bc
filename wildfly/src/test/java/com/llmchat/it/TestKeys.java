package com.llmchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonValue;

/** Personal API keys for the tests, made through the API as their owners would. */
final class TestKeys {

  private TestKeys() {}

  /** A new key of the token's owner; {@code body} as POST /api/v1/keys takes it. */
  static String key(String token, String body) throws Exception {
    var made = Api.post("v1/keys", token, body);
    assertEquals(201, made.statusCode(), made.body());
    return Json.object(made.body()).getString("secret");
  }

  /** The id of one of the owner's keys, found by its listed prefix. */
  static long keyId(String token, String secret) throws Exception {
    for (JsonValue key : Json.array(Api.get("v1/keys", token).body())) {
      if (secret.startsWith(key.asJsonObject().getString("prefix"))) {
        return key.asJsonObject().getJsonNumber("id").longValue();
      }
    }
    throw new AssertionError("no key " + secret.substring(0, 17));
  }
}
