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

  record Result(
      int status,
      java.net.http.HttpHeaders headers,
      int commentsBeforeFirstEvent,
      List<Event> events) {
    String contentType() {
      return headers.firstValue("Content-Type").orElse("");
    }

    List<Event> named(String name) {
      return events.stream().filter(e -> e.name().equals(name)).toList();
    }

    /**
     * What the relay delivered, in the shape of the recordings' expected files: content, reasoning,
     * tool calls merged by index, the upstream's usage, finish reason, error, [DONE].
     */
    jakarta.json.JsonObject assembled() {
      StringBuilder text = new StringBuilder();
      StringBuilder reasoning = new StringBuilder();
      java.util.Map<Integer, String[]> callParts = new java.util.TreeMap<>();
      jakarta.json.JsonValue usage = jakarta.json.JsonValue.NULL;
      jakarta.json.JsonValue error = null;
      jakarta.json.JsonObject done = null;
      for (Event event : events) {
        var data = Json.object(event.data());
        switch (event.name()) {
          case "delta" -> {
            if (!data.isNull("content")) {
              text.append(data.getString("content"));
            }
            if (!data.isNull("reasoning")) {
              reasoning.append(data.getString("reasoning"));
            }
          }
          case "tool_call" -> {
            // id, type and name: the first value that comes; arguments: appended
            String[] call = callParts.computeIfAbsent(data.getInt("index"), i -> new String[4]);
            String[] keys = {"id", "type", "name", "arguments"};
            for (int i = 0; i < keys.length; i++) {
              if (data.isNull(keys[i])) {
                continue;
              }
              String value = data.getString(keys[i]);
              call[i] = call[i] == null ? value : i == 3 ? call[i] + value : call[i];
            }
          }
          case "usage" -> usage = data.get("upstream");
          case "error" -> error = error == null ? data.get("upstream") : error;
          case "done" -> done = data;
          default -> {}
        }
      }
      var json = jakarta.json.Json.createObjectBuilder();
      json.add(
          "content",
          text.length() == 0
              ? jakarta.json.JsonValue.NULL
              : jakarta.json.Json.createValue(text.toString()));
      json.add(
          "reasoning",
          reasoning.length() == 0
              ? jakarta.json.JsonValue.NULL
              : jakarta.json.Json.createValue(reasoning.toString()));
      if (callParts.isEmpty()) {
        json.addNull("tool_calls");
      } else {
        var array = jakarta.json.Json.createArrayBuilder();
        for (var entry : callParts.entrySet()) {
          String[] parts = entry.getValue();
          var function = jakarta.json.Json.createObjectBuilder();
          nullable(function, "name", parts[2]);
          nullable(function, "arguments", parts[3]);
          var call = jakarta.json.Json.createObjectBuilder().add("index", entry.getKey());
          nullable(call, "id", parts[0]);
          nullable(call, "type", parts[1]);
          array.add(call.add("function", function));
        }
        json.add("tool_calls", array);
      }
      json.add("usage", usage);
      json.add(
          "finish_reason",
          done == null || done.isNull("finishReason")
              ? jakarta.json.JsonValue.NULL
              : done.get("finishReason"));
      if (error != null) {
        json.add("error", error);
      }
      return json.add("done_marker_seen", done != null && done.getBoolean("upstreamDone")).build();
    }

    private static void nullable(jakarta.json.JsonObjectBuilder json, String key, String value) {
      if (value == null) {
        json.addNull(key);
      } else {
        json.add(key, value);
      }
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
    int comments = 0;
    try (Stream<String> lines = response.body()) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.startsWith(":") && events.isEmpty()) {
          comments++;
        } else if (line.isEmpty()) {
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
    return new Result(response.statusCode(), response.headers(), comments, events);
  }
}
