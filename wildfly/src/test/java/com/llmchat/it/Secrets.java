package com.llmchat.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every password and token the tests used or received, for the log hygiene check at the end. */
final class Secrets {

  private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

  private Secrets() {}

  static String remember(String secret) {
    if (secret != null && secret.length() >= 8) {
      SEEN.add(secret);
    }
    return secret;
  }

  static Set<String> all() {
    return Set.copyOf(SEEN);
  }

  /** Picks tokens, one-time passwords and API key secrets out of an API answer. */
  static void rememberFrom(String body) {
    if (body == null || !body.startsWith("{")) {
      return;
    }
    try {
      JsonObject json = Json.object(body);
      for (String key : new String[] {"accessToken", "refreshToken", "oneTimePassword", "secret"}) {
        if (json.containsKey(key) && json.get(key).getValueType() == JsonValue.ValueType.STRING) {
          remember(json.getString(key));
        }
      }
    } catch (RuntimeException notJson) {
      // not an object we know
    }
  }
}
