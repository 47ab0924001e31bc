package com.llmchat.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The calls to LLM Chat's REST API the benches make around what they measure. */
final class AppCalls {

  private static final Pattern ACCESS_TOKEN = Pattern.compile("\"accessToken\":\"([^\"]+)\"");

  private final HttpClient http;
  private final URI app;

  AppCalls(HttpClient http, URI app) {
    this.http = http;
    this.app = app;
  }

  HttpRequest request(String path, String bearer, String json) {
    var builder =
        HttpRequest.newBuilder(app.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (bearer != null) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    return builder.build();
  }

  HttpResponse<String> post(String path, String bearer, String json)
      throws IOException, InterruptedException {
    return http.send(request(path, bearer, json), HttpResponse.BodyHandlers.ofString());
  }

  String accessToken(String username, String password) throws IOException, InterruptedException {
    var response =
        post(
            "/api/v1/auth/login",
            null,
            "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
    Matcher matcher = ACCESS_TOKEN.matcher(response.body());
    if (response.statusCode() != 200 || !matcher.find()) {
      throw new IllegalStateException("login of " + username + " failed: " + response.body());
    }
    return matcher.group(1);
  }

  /** An option the command line must give. */
  static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }
}
