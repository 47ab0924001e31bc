package com.llmchat.web.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.llmchat.providers.entity.StreamEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PassThroughEventsTest {

  private static final String CONTENT =
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}";
  private static final String USAGE_ONLY =
      "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}";
  private static final String CONTENT_WITH_USAGE =
      "data: {\"choices\":[{\"index\":0,\"delta\":{}}],\"usage\":{\"prompt_tokens\":3}}";

  private static String passed(boolean leaveOutUsage, String... lines) {
    var out = new ByteArrayOutputStream();
    var events = new PassThroughEvents();
    events.attach(out, leaveOutUsage);
    for (String line : lines) {
      events.line(line);
    }
    events.end();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void linesLeaveAsTheyCameTogetherAtTheFlush() {
    var out = new ByteArrayOutputStream();
    var events = new PassThroughEvents();
    events.attach(out, false);
    events.line(": keep-alive");
    events.line("");
    events.line(CONTENT);
    events.line("");
    assertEquals(0, out.size(), "written before the model server paused");
    assertTrue(events.flush());
    assertEquals(": keep-alive\n\n" + CONTENT + "\n\n", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theUsageChunkAskedForOnTheApplicationsBehalfIsLeftOutWithItsBlankLine() {
    String[] stream = {CONTENT, "", USAGE_ONLY, "", "data: [DONE]", ""};
    assertEquals(CONTENT + "\n\ndata: [DONE]\n\n", passed(true, stream));
    assertEquals(String.join("\n", stream) + "\n", passed(false, stream));
    // usage that comes with a choice is the model server's own way: it stays
    assertEquals(CONTENT_WITH_USAGE + "\n\n", passed(true, CONTENT_WITH_USAGE, ""));
  }

  @Test
  void usageOnlyMeansUsageAndNoChoices() {
    assertTrue(PassThroughEvents.isUsageOnly(USAGE_ONLY));
    assertTrue(PassThroughEvents.isUsageOnly("data: {\"usage\":{\"total_tokens\":4}}"));
    assertFalse(PassThroughEvents.isUsageOnly(CONTENT_WITH_USAGE));
    assertFalse(PassThroughEvents.isUsageOnly("data: {\"choices\":[],\"usage\":null}"));
    assertFalse(PassThroughEvents.isUsageOnly("data: {\"usage\": broken"));
    assertFalse(PassThroughEvents.isUsageOnly("event: usage"));
  }

  @Test
  void theRelaysOwnFailureEndsTheStreamWithAnErrorChunk() {
    var out = new ByteArrayOutputStream();
    var events = new PassThroughEvents();
    events.attach(out, false);
    events.line(CONTENT);
    events.failed(new StreamEvent.Error("Provider broke off the answer", "upstream_failed"));
    assertEquals(
        CONTENT
            + "\ndata: {\"error\":{\"message\":\"Provider broke off the answer\","
            + "\"type\":\"server_error\",\"code\":\"upstream_failed\",\"param\":null}}\n\n",
        out.toString(StandardCharsets.UTF_8));
    // an error the model server sent is in its lines already: not written twice
    assertTrue(events.event(new StreamEvent.Error("from the stream", "x")));
    assertEquals(
        out.size(), out.toString(StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void aClientGoneEndsTheRelay() {
    var events = new PassThroughEvents();
    events.attach(
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("Broken pipe");
          }
        },
        false);
    assertTrue(events.line(CONTENT));
    assertFalse(events.flush());
    assertFalse(events.line(CONTENT));
    assertFalse(events.event(new StreamEvent.Delta("x", null)));
  }
}
