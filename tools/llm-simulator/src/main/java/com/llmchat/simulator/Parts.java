package com.llmchat.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A message's content as OpenAI's API has it: a string, or parts — {@code text} and {@code
 * image_url} (a data URL or an address) — as vision models take them.
 */
final class Parts {

  private Parts() {}

  /** The text of a content: the string, or its text parts one after another. */
  static String text(Object content) {
    if (content instanceof String text) {
      return text;
    }
    if (!(content instanceof JsonArray parts)) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    for (Object part : parts) {
      if (part instanceof JsonObject p && "text".equals(p.getString("type"))) {
        text.append(text.isEmpty() ? "" : "\n").append(p.getString("text", ""));
      }
    }
    return text.toString();
  }

  /**
   * The images of a content, each as "image/png, 1234 bytes" (a data URL, decoded) or "an image at
   * ADDRESS"; refused ({@link IllegalArgumentException}) when a data URL is not base64.
   */
  static List<String> images(Object content) {
    List<String> images = new ArrayList<>();
    if (!(content instanceof JsonArray parts)) {
      return images;
    }
    for (Object part : parts) {
      if (part instanceof JsonObject p && "image_url".equals(p.getString("type"))) {
        Object image = p.getValue("image_url");
        String url = image instanceof JsonObject i ? i.getString("url", "") : String.valueOf(image);
        images.add(described(url));
      }
    }
    return images;
  }

  private static String described(String url) {
    if (!url.startsWith("data:")) {
      return "an image at " + url;
    }
    int comma = url.indexOf(',');
    String header = url.substring(5, Math.max(5, comma));
    if (comma < 0 || !header.endsWith(";base64")) {
      throw new IllegalArgumentException("an image data URL must be base64: " + header);
    }
    byte[] bytes = Base64.getDecoder().decode(url.substring(comma + 1));
    return header.substring(0, header.length() - ";base64".length())
        + ", "
        + bytes.length
        + " bytes";
  }
}
