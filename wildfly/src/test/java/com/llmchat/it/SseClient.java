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

  /** {@code broken}: the connection broke before the stream's end. */
  record Result(
      int status,
      java.net.http.HttpHeaders headers,
      int commentsBeforeFirstEvent,
      List<Event> events,
      boolean broken) {
    /** The reply as stored, from the {@code done} event. */
    jakarta.json.JsonObject reply() {
      return Json.object(named("done").get(0).data()).getJsonObject("reply");
    }

    /** The reply as announced in the {@code message} event. */
    long replyId() {
      return Json.object(named("message").get(0).data())
          .getJsonObject("reply")
          .getJsonNumber("id")
          .longValue();
    }

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

  /** A new conversation with the model, and one message sent in it. */
  static Result chat(String token, String model, String prompt)
      throws IOException, InterruptedException {
    return send(token, conversation(token, model), prompt, null);
  }

  /**
   * Creates a conversation of the caller's with the model, titled: the model is not asked to name
   * it after its first reply (an extra call, which tests counting calls and tokens would see);
   * returns its id.
   */
  static long conversation(String token, String model) throws IOException, InterruptedException {
    return create(
        token,
        jakarta.json.Json.createObjectBuilder()
            .add("model", model)
            .add("title", "Test conversation")
            .build()
            .toString());
  }

  /** An untitled conversation: named after its first message, then by the model. */
  static long untitled(String token, String model) throws IOException, InterruptedException {
    return create(
        token, jakarta.json.Json.createObjectBuilder().add("model", model).build().toString());
  }

  private static long create(String token, String json) throws IOException, InterruptedException {
    var created = Api.post("v1/conversations", token, json);
    if (created.statusCode() != 201) {
      throw new IllegalStateException("no conversation: " + created.body());
    }
    return Json.object(created.body()).getJsonNumber("id").longValue();
  }

  static Result send(String token, long conversation, String content, String clientMessageId)
      throws IOException, InterruptedException {
    var body = jakarta.json.Json.createObjectBuilder().add("content", content);
    if (clientMessageId != null) {
      body.add("clientMessageId", clientMessageId);
    }
    return stream(token, "v1/conversations/" + conversation + "/messages", body.build().toString());
  }

  /** POSTs the body and reads the answer as an event stream to its end. */
  static Result stream(String token, String path, String body)
      throws IOException, InterruptedException {
    return stream(token, path, body, event -> {});
  }

  /** The same, telling {@code onEvent} of each event as it arrives. */
  static Result stream(
      String token, String path, String body, java.util.function.Consumer<Event> onEvent)
      throws IOException, InterruptedException {
    HttpRequest request =
        Platform.json(Platform.APP + "/api/" + path, token)
            .header("Accept", "text/event-stream")
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    return read(request, onEvent);
  }

  /**
   * Sends a message to the server at {@code base} through a proxy that cuts the connection once
   * {@code deltas} deltas came: the events read until the cut (the reply goes on at the server).
   */
  static Result cutAfter(int deltas, String base, String token, long conversation, String content)
      throws IOException, InterruptedException {
    Result first;
    try (var proxy = new CuttingProxy(base)) {
      var read = new java.util.concurrent.atomic.AtomicInteger();
      first =
          read(
              Platform.json(
                      proxy.url() + "/api/v1/conversations/" + conversation + "/messages", token)
                  .header("Accept", "text/event-stream")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          jakarta.json.Json.createObjectBuilder()
                              .add("content", content)
                              .build()
                              .toString()))
                  .build(),
              event -> {
                if (event.name().equals("delta") && read.incrementAndGet() == deltas) {
                  proxy.cut();
                }
              });
    }
    org.junit.jupiter.api.Assertions.assertTrue(
        first.broken(), "the proxy cut the stream: " + first.events());
    return first;
  }

  /** Takes a reply's stream up again at the server at {@code base}: GET …/events. */
  static Result resume(String base, String token, long conversation, long reply, String lastId)
      throws IOException, InterruptedException {
    return read(
        Platform.json(
                base + "/api/v1/conversations/" + conversation + "/messages/" + reply + "/events",
                token)
            .header("Accept", "text/event-stream")
            .header("Last-Event-ID", lastId)
            .GET()
            .build(),
        event -> {});
  }

  /**
   * A stream that broke and the stream that took it up, as one: whole (to {@code done}), its events
   * numbered 1, 2, … each once, none missing.
   */
  static Result joined(Result first, Result rest) {
    org.junit.jupiter.api.Assertions.assertEquals(200, rest.status());
    org.junit.jupiter.api.Assertions.assertFalse(rest.broken(), "broken again");
    List<Event> all = new ArrayList<>(first.events());
    all.addAll(rest.events());
    for (int i = 0; i < all.size(); i++) {
      org.junit.jupiter.api.Assertions.assertEquals(
          String.valueOf(i + 1), all.get(i).id(), "event " + i + " of " + all);
    }
    return new Result(200, rest.headers(), 0, all, false);
  }

  /** The id of the last event read. */
  static String lastId(Result result) {
    return result.events().get(result.events().size() - 1).id();
  }

  /** Sends the request and reads its answer as an event stream, to its end or its break. */
  static Result read(HttpRequest request, java.util.function.Consumer<Event> onEvent)
      throws IOException, InterruptedException {
    HttpResponse<Stream<String>> response =
        Platform.HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
    List<Event> events = new ArrayList<>();
    String name = "message";
    String id = null;
    StringBuilder data = new StringBuilder();
    int comments = 0; // before the first delta
    boolean broken = false;
    try (Stream<String> lines = response.body()) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.startsWith(":") && events.stream().noneMatch(e -> e.name().equals("delta"))) {
          comments++;
        } else if (line.isEmpty()) {
          if (data.length() > 0) {
            var event = new Event(name, id, data.toString(), System.nanoTime());
            events.add(event);
            onEvent.accept(event);
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
    } catch (java.io.UncheckedIOException e) {
      broken = true;
    }
    return new Result(response.statusCode(), response.headers(), comments, events, broken);
  }
}
