package com.llmchat.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls to the REST API as a given caller (token may be null). */
final class Api {

  private Api() {}

  static HttpResponse<String> call(String method, String path, String token, String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(Platform.APP + "/api/" + path))
            .timeout(Duration.ofSeconds(60));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(
        method,
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    HttpResponse<String> response =
        Platform.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    Secrets.rememberFrom(response.body());
    return response;
  }

  static HttpResponse<String> get(String path, String token)
      throws IOException, InterruptedException {
    return call("GET", path, token, null);
  }

  static HttpResponse<String> post(String path, String token, String json)
      throws IOException, InterruptedException {
    return call("POST", path, token, json);
  }

  static HttpResponse<String> put(String path, String token, String json)
      throws IOException, InterruptedException {
    return call("PUT", path, token, json);
  }

  static HttpResponse<String> delete(String path, String token)
      throws IOException, InterruptedException {
    return call("DELETE", path, token, null);
  }

  /** The JSON string of a value, quoted and escaped. */
  static String q(String value) {
    return jakarta.json.Json.createValue(value).toString();
  }
}
