package com.llmchat.web.v1;

import com.llmchat.json.JsonFactory;
import com.llmchat.providers.control.PendingBytes;
import com.llmchat.providers.entity.StreamEvent;
import com.llmchat.providers.entity.StreamListener;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A model server's stream passed on to an application as it came, line by line: tools, reasoning,
 * provider extras and all. Lines are kept until {@link #flush} (when the model server has nothing
 * more buffered), so a burst leaves in one write and a lone chunk at once. Two changes only: the
 * usage chunk that this server asked for on the application's behalf (for the ledger) is left out,
 * and the relay's own failure — the stream broke, a cap was reached — ends the stream with an error
 * chunk in OpenAI's shape, which the SDKs raise. A write that fails means the application has gone.
 */
final class PassThroughEvents implements StreamListener {

  /** Pending bytes that are written without waiting for the upstream to pause. */
  private static final int FLUSH_AT = 16 * 1024;

  private OutputStream out;
  private boolean dropUsageOnly;
  private boolean skipBlank;
  private boolean gone;
  private final PendingBytes pending = new PendingBytes();

  /** The response body, once the answer has begun. */
  void attach(OutputStream body, boolean leaveOutUsageChunk) {
    this.out = body;
    this.dropUsageOnly = leaveOutUsageChunk;
  }

  @Override
  public boolean line(String line) {
    if (gone) {
      return false;
    }
    if (skipBlank) {
      skipBlank = false;
      if (line.isEmpty()) {
        return true;
      }
    }
    if (dropUsageOnly && isUsageOnly(line)) {
      // and the blank line that ends its event
      skipBlank = true;
      return true;
    }
    pending.append(line.getBytes(StandardCharsets.UTF_8));
    pending.append(NEWLINE);
    if (pending.length() >= FLUSH_AT) {
      return flush();
    }
    return true;
  }

  @Override
  public boolean event(StreamEvent event) {
    // the lines carry it already
    return !gone;
  }

  @Override
  public boolean flush() {
    if (gone || out == null || pending.length() == 0) {
      return !gone;
    }
    try {
      pending.writeTo(out);
      out.flush();
    } catch (IOException e) {
      gone = true;
    }
    pending.clear();
    return !gone;
  }

  @Override
  public boolean failed(StreamEvent.Error error) {
    if (gone || out == null) {
      return !gone;
    }
    String chunk =
        "data: "
            + JsonFactory.object()
                .add(
                    "error",
                    JsonFactory.object()
                        .add("message", error.message())
                        .add("type", "server_error")
                        .add("code", error.code() == null ? "upstream_failed" : error.code())
                        .addNull("param"))
                .build()
            + "\n\n";
    pending.append(chunk.getBytes(StandardCharsets.UTF_8));
    return flush();
  }

  /** What was held back is written (the stream ends). */
  void end() {
    flush();
  }

  private static final byte[] NEWLINE = {'\n'};

  /** A chunk with usage and no choices: what {@code stream_options.include_usage} adds. */
  static boolean isUsageOnly(String line) {
    if (!line.startsWith("data:") || !line.contains("\"usage\"")) {
      return false;
    }
    try {
      JsonValue value = JsonFactory.parse(line.substring(5).strip());
      if (!(value instanceof JsonObject chunk) || !(chunk.get("usage") instanceof JsonObject)) {
        return false;
      }
      JsonValue choices = chunk.get("choices");
      return choices == null
          || choices == JsonValue.NULL
          || choices instanceof JsonArray array && array.isEmpty();
    } catch (JsonException e) {
      return false;
    }
  }
}
