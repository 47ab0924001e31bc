package com.llmchat.providers.control;

import com.llmchat.json.JsonFactory;
import com.llmchat.providers.entity.StreamEvent;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.function.Consumer;

/**
 * Reads an OpenAI-compatible {@code text/event-stream} line by line and reports what it means.
 * Tolerant by design: comments, unknown fields, events without a trailing blank line, error frames
 * and usage in odd places are all understood; a malformed payload becomes an error event.
 */
public final class ChatStreamParser {

  private final Consumer<StreamEvent> listener;
  private final int maxEventChars;
  private final StringBuilder data = new StringBuilder();
  private String eventName;

  public ChatStreamParser(Consumer<StreamEvent> listener) {
    this(listener, Integer.MAX_VALUE);
  }

  /** {@code maxEventChars}: an event's data lines together longer than that end the stream. */
  public ChatStreamParser(Consumer<StreamEvent> listener, int maxEventChars) {
    this.listener = listener;
    this.maxEventChars = maxEventChars;
  }

  /** Feeds one line of the body, without its line terminator. */
  public void line(String line) {
    if (line.isEmpty()) {
      dispatch();
    } else if (line.startsWith(":")) {
      // keep-alive comment
    } else if (line.startsWith("data:")) {
      String value = stripOneSpace(line.substring(5));
      if ((long) data.length() + value.length() + 1 > maxEventChars) {
        data.setLength(0);
        throw new UpstreamLimitException("an event of the model server's stream", maxEventChars);
      }
      if (data.length() > 0) {
        data.append('\n');
      }
      data.append(value);
    } else if (line.startsWith("event:")) {
      eventName = stripOneSpace(line.substring(6)).trim();
    }
    // id:, retry: and unknown fields carry nothing for us
  }

  /** The body ended: a last event without its blank line still counts. */
  public void end() {
    dispatch();
  }

  /**
   * A whole (not streamed) answer, {@code chat.completion}: its message read as one delta, its
   * usage and finish reason as in a stream.
   */
  public void whole(String body) {
    data.setLength(0);
    eventName = null;
    dispatch(body.trim(), null);
  }

  private void dispatch() {
    String payload = data.toString().trim();
    String name = eventName;
    data.setLength(0);
    eventName = null;
    dispatch(payload, name);
  }

  private void dispatch(String payload, String name) {
    if (payload.isEmpty()) {
      return;
    }
    if ("[DONE]".equals(payload)) {
      listener.accept(new StreamEvent.Done());
      return;
    }
    JsonObject chunk;
    try {
      JsonValue value = JsonFactory.parse(payload);
      if (value.getValueType() != JsonValue.ValueType.OBJECT) {
        throw new JsonException("not an object");
      }
      chunk = value.asJsonObject();
    } catch (JsonException e) {
      listener.accept(
          new StreamEvent.Error("Malformed chunk from the model server", "malformed_chunk"));
      return;
    }
    if (chunk.containsKey("error") || "error".equals(name)) {
      // what came with the error (text, finish reason, tokens the provider billed) still counts
      readChoices(chunk);
      readUsage(chunk);
      listener.accept(error(chunk));
      return;
    }
    readChoices(chunk);
    readUsage(chunk);
  }

  private void readChoices(JsonObject chunk) {
    JsonArray choices = array(chunk, "choices");
    if (choices == null) {
      return;
    }
    for (JsonValue value : choices) {
      if (value.getValueType() != JsonValue.ValueType.OBJECT) {
        continue;
      }
      JsonObject choice = value.asJsonObject();
      if (choice.getInt("index", 0) != 0) {
        continue;
      }
      JsonObject delta = object(choice, "delta");
      if (delta == null) {
        // a whole answer's message has the fields of a delta
        delta = object(choice, "message");
      }
      if (delta != null) {
        readToolCalls(delta);
        String content;
        String reasoning;
        JsonArray parts = array(delta, "content");
        if (parts != null) {
          // typed content parts (Mistral Magistral): thinking parts are reasoning, text parts
          // content
          var text = new StringBuilder();
          var thinking = new StringBuilder();
          for (JsonValue part : parts) {
            if (part.getValueType() == JsonValue.ValueType.OBJECT) {
              JsonObject typed = part.asJsonObject();
              if ("thinking".equals(string(typed, "type"))) {
                appendTexts(typed.get("thinking"), thinking);
              } else if ("text".equals(string(typed, "type"))) {
                appendTexts(typed.get("text"), text);
              }
            }
          }
          content = text.toString();
          reasoning = thinking.toString();
        } else {
          content = string(delta, "content");
          reasoning = reasoning(delta);
        }
        if (notEmpty(content) || notEmpty(reasoning)) {
          listener.accept(new StreamEvent.Delta(emptyToNull(content), emptyToNull(reasoning)));
        }
      }
      String finish = string(choice, "finish_reason");
      if (finish != null) {
        listener.accept(new StreamEvent.Finish(finish));
      }
    }
  }

  /**
   * {@code reasoning_content} (DeepSeek, vLLM), else {@code reasoning} (OpenRouter, Groq), else the
   * readable parts of {@code reasoning_details} (OpenRouter sends it beside {@code reasoning}, so
   * it counts only alone; encrypted parts are not shown).
   */
  private static String reasoning(JsonObject delta) {
    String reasoning = string(delta, "reasoning_content");
    if (reasoning == null) {
      reasoning = string(delta, "reasoning");
    }
    JsonArray details = reasoning == null ? array(delta, "reasoning_details") : null;
    if (details == null) {
      return reasoning;
    }
    var text = new StringBuilder();
    for (JsonValue detail : details) {
      if (detail.getValueType() == JsonValue.ValueType.OBJECT) {
        JsonObject typed = detail.asJsonObject();
        String type = string(typed, "type");
        if ("reasoning.text".equals(type)) {
          appendTexts(typed.get("text"), text);
        } else if ("reasoning.summary".equals(type)) {
          appendTexts(typed.get("summary"), text);
        }
      }
    }
    return text.toString();
  }

  /**
   * A string, or an array of strings and {@code {"type":"text","text":…}} parts, appended in order.
   */
  private static void appendTexts(JsonValue value, StringBuilder into) {
    if (value == null) {
      return;
    }
    if (value.getValueType() == JsonValue.ValueType.STRING) {
      into.append(((jakarta.json.JsonString) value).getString());
    } else if (value.getValueType() == JsonValue.ValueType.ARRAY) {
      for (JsonValue item : value.asJsonArray()) {
        if (item.getValueType() == JsonValue.ValueType.STRING) {
          into.append(((jakarta.json.JsonString) item).getString());
        } else if (item.getValueType() == JsonValue.ValueType.OBJECT) {
          appendTexts(item.asJsonObject().get("text"), into);
        }
      }
    }
  }

  private void readToolCalls(JsonObject delta) {
    JsonArray calls = array(delta, "tool_calls");
    if (calls == null) {
      return;
    }
    for (int position = 0; position < calls.size(); position++) {
      if (calls.get(position).getValueType() != JsonValue.ValueType.OBJECT) {
        continue;
      }
      JsonObject call = calls.getJsonObject(position);
      JsonValue index = call.get("index");
      JsonObject function = object(call, "function");
      listener.accept(
          new StreamEvent.ToolCallDelta(
              index != null && index.getValueType() == JsonValue.ValueType.NUMBER
                  ? ((jakarta.json.JsonNumber) index).intValue()
                  : position,
              emptyToNull(string(call, "id")),
              emptyToNull(string(call, "type")),
              function == null ? null : emptyToNull(string(function, "name")),
              function == null ? null : string(function, "arguments")));
    }
  }

  private void readUsage(JsonObject chunk) {
    JsonObject usage = object(chunk, "usage");
    if (usage == null) {
      JsonObject groq = object(chunk, "x_groq");
      usage = groq == null ? null : object(groq, "usage");
    }
    if (usage != null) {
      long prompt = number(usage, "prompt_tokens");
      long completion = number(usage, "completion_tokens");
      long total =
          usage.containsKey("total_tokens") ? number(usage, "total_tokens") : prompt + completion;
      JsonObject details = object(usage, "completion_tokens_details");
      Long reasoning =
          details != null
                  && details.get("reasoning_tokens") instanceof jakarta.json.JsonNumber tokens
              ? tokens.longValue()
              : null;
      listener.accept(
          new StreamEvent.Usage(prompt, completion, total, reasoning, usage.toString()));
    }
  }

  /** An error the model server reports in the stream, credentials redacted (it may echo them). */
  private static StreamEvent.Error error(JsonObject chunk) {
    JsonValue error = chunk.getOrDefault("error", chunk);
    if (error.getValueType() == JsonValue.ValueType.STRING) {
      return new StreamEvent.Error(
          Redaction.secrets(((jakarta.json.JsonString) error).getString()),
          null,
          Redaction.secrets(error.toString()));
    }
    if (error.getValueType() != JsonValue.ValueType.OBJECT) {
      return new StreamEvent.Error("Error reported by the model server", null);
    }
    JsonObject body = error.asJsonObject();
    String message = string(body, "message");
    JsonValue code = body.get("code");
    String codeText =
        code == null || code.getValueType() == JsonValue.ValueType.NULL
            ? string(body, "type")
            : code.getValueType() == JsonValue.ValueType.STRING
                ? ((jakarta.json.JsonString) code).getString()
                : code.toString();
    return new StreamEvent.Error(
        message == null ? "Error reported by the model server" : Redaction.secrets(message),
        codeText,
        Redaction.secrets(body.toString()));
  }

  private static String stripOneSpace(String value) {
    return value.startsWith(" ") ? value.substring(1) : value;
  }

  private static JsonObject object(JsonObject parent, String key) {
    JsonValue value = parent.get(key);
    return value != null && value.getValueType() == JsonValue.ValueType.OBJECT
        ? value.asJsonObject()
        : null;
  }

  private static JsonArray array(JsonObject parent, String key) {
    JsonValue value = parent.get(key);
    return value != null && value.getValueType() == JsonValue.ValueType.ARRAY
        ? value.asJsonArray()
        : null;
  }

  private static String string(JsonObject parent, String key) {
    JsonValue value = parent.get(key);
    return value != null && value.getValueType() == JsonValue.ValueType.STRING
        ? ((jakarta.json.JsonString) value).getString()
        : null;
  }

  private static long number(JsonObject parent, String key) {
    JsonValue value = parent.get(key);
    return value != null && value.getValueType() == JsonValue.ValueType.NUMBER
        ? ((jakarta.json.JsonNumber) value).longValue()
        : 0;
  }

  private static boolean notEmpty(String value) {
    return value != null && !value.isEmpty();
  }

  private static String emptyToNull(String value) {
    return notEmpty(value) ? value : null;
  }
}
