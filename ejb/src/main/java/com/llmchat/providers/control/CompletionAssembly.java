package com.llmchat.providers.control;

import com.llmchat.json.JsonFactory;
import com.llmchat.providers.entity.StreamEvent;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Puts a streamed completion back together: content and reasoning concatenated, tool calls merged
 * by index, the last usage the upstream reported (a later {@code usage: null} does not erase it),
 * the finish reason, an error, and whether the {@code [DONE]} marker came.
 */
public final class CompletionAssembly implements Consumer<StreamEvent> {

  private final StringBuilder content = new StringBuilder();
  private final StringBuilder reasoning = new StringBuilder();
  private final Map<Integer, ToolCall> toolCalls = new TreeMap<>();
  private StreamEvent.Usage usage;
  private StreamEvent.Error error;
  private String finishReason;
  private boolean doneMarkerSeen;

  private static final class ToolCall {
    private final int index;
    private String id;
    private String type;
    private String name;
    private StringBuilder arguments;

    ToolCall(int index) {
      this.index = index;
    }

    void merge(StreamEvent.ToolCallDelta delta) {
      id = id == null ? delta.id() : id;
      type = type == null ? delta.type() : type;
      name = name == null ? delta.name() : name;
      if (delta.arguments() != null) {
        arguments = arguments == null ? new StringBuilder() : arguments;
        arguments.append(delta.arguments());
      }
    }
  }

  @Override
  public void accept(StreamEvent event) {
    if (event instanceof StreamEvent.Delta delta) {
      if (delta.content() != null) {
        content.append(delta.content());
      }
      if (delta.reasoning() != null) {
        reasoning.append(delta.reasoning());
      }
    } else if (event instanceof StreamEvent.ToolCallDelta call) {
      toolCalls.computeIfAbsent(call.index(), ToolCall::new).merge(call);
    } else if (event instanceof StreamEvent.Usage reported) {
      usage = reported;
    } else if (event instanceof StreamEvent.Finish finish) {
      finishReason = finish.reason();
    } else if (event instanceof StreamEvent.Error failure) {
      error = error == null ? failure : error;
    } else if (event instanceof StreamEvent.Done) {
      doneMarkerSeen = true;
    }
  }

  public String content() {
    return content.length() == 0 ? null : content.toString();
  }

  public String reasoning() {
    return reasoning.length() == 0 ? null : reasoning.toString();
  }

  public StreamEvent.Usage usage() {
    return usage;
  }

  public StreamEvent.Error error() {
    return error;
  }

  public String finishReason() {
    return finishReason;
  }

  public boolean doneMarkerSeen() {
    return doneMarkerSeen;
  }

  /**
   * The assembled completion as JSON: content, reasoning, tool_calls, usage, finish_reason, error.
   */
  public JsonObject toJson() {
    JsonObjectBuilder json = JsonFactory.object();
    nullable(json, "content", content());
    nullable(json, "reasoning", reasoning());
    if (toolCalls.isEmpty()) {
      json.addNull("tool_calls");
    } else {
      JsonArrayBuilder calls = JsonFactory.array();
      for (ToolCall call : toolCalls.values()) {
        JsonObjectBuilder function = JsonFactory.object();
        nullable(function, "name", call.name);
        nullable(function, "arguments", call.arguments == null ? null : call.arguments.toString());
        JsonObjectBuilder item = JsonFactory.object().add("index", call.index);
        nullable(item, "id", call.id);
        nullable(item, "type", call.type);
        calls.add(item.add("function", function));
      }
      json.add("tool_calls", calls);
    }
    json.add("usage", usage == null ? JsonValue.NULL : parse(usage.json()));
    nullable(json, "finish_reason", finishReason);
    if (error != null) {
      json.add(
          "error",
          error.json() == null ? JsonFactory.string(error.message()) : parse(error.json()));
    }
    return json.add("done_marker_seen", doneMarkerSeen).build();
  }

  private static JsonValue parse(String json) {
    return JsonFactory.parse(json);
  }

  private static void nullable(JsonObjectBuilder json, String key, String value) {
    if (value == null) {
      json.addNull(key);
    } else {
      json.add(key, value);
    }
  }
}
