package com.llmchat.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartsTest {

  private static final JsonArray PARTS =
      new JsonArray(
          "[{\"type\":\"text\",\"text\":\"What is this?\"},"
              + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AQID\"}},"
              + "{\"type\":\"text\",\"text\":\"[sim tokens=2]\"},"
              + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.jpg\"}}]");

  @Test
  void theTextOfPartsIsTheirTextPartsJoined() {
    assertEquals("plain", Parts.text("plain"));
    assertEquals("What is this?\n[sim tokens=2]", Parts.text(PARTS));
    assertEquals("", Parts.text(null));
  }

  @Test
  void imagesAreDescribedAsAVisionModelReceivedThem() {
    assertEquals(
        List.of("image/png, 3 bytes", "an image at https://example.com/a.jpg"),
        Parts.images(PARTS));
    assertEquals(List.of(), Parts.images("plain"));
    var notBase64 =
        new JsonArray("[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png,raw\"}}]");
    assertThrows(IllegalArgumentException.class, () -> Parts.images(notBase64));
  }
}
