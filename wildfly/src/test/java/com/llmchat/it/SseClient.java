package com.llmchat.it;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads a server-sent event stream and notes when each event arrived. */
final class SseClient {

  record Event(String name, String id, String data, long arrivedNanos) {}

  record Result(int status, String contentType, List<Event> events) {
    List<Event> named(String name) {
      return events.stream().filter(e -> e.name().equals(name)).toList();
    }

    String content() {
      StringBuilder text = new StringBuilder();
      for (Event delta : named("delta")) {
        var data = Json.object(delta.data());
        if (!data.isNull("content")) {
          text.append(data.getString("content"));
        }
      }
      return text.toString();
    }
  }

  private SseClient() {}

  static Result chat(String token, String model, String prompt)
      throws IOException, InterruptedException {
    String body =
        jakarta.json.Json.createObjectBuilder()
            .add("model", model)
            .add("prompt", prompt)
            .build()
            .toString();
    HttpRequest request =
        Platform.json(Platform.APP + "/api/v1/chat", token)
            .header("Accept", "text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<Stream<String>> response =
        Platform.HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
    List<Event> events = new ArrayList<>();
    String name = "message";
    String id = null;
    StringBuilder data = new StringBuilder();
    try (Stream<String> lines = response.body()) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            events.add(new Event(name, id, data.toString(), System.nanoTime()));
          }
          name = "message";
          id = null;
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          name = line.substring(6).trim();
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      }
    }
    return new Result(
        response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), events);
  }
}
