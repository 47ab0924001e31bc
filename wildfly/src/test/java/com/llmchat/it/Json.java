package com.llmchat.it;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;

final class Json {
  private Json() {}

  static JsonObject object(String text) {
    return jakarta.json.Json.createReader(new StringReader(text)).readObject();
  }

  static JsonArray array(String text) {
    return jakarta.json.Json.createReader(new StringReader(text)).readArray();
  }
}
