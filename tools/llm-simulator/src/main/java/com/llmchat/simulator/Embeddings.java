package com.llmchat.simulator;

import io.vertx.core.json.JsonArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Random;

/**
 * Simulated embeddings: a unit vector drawn from the text's hash, so equal texts get equal ones.
 */
final class Embeddings {

  private Embeddings() {}

  static float[] of(String text, int dimensions) {
    Random random = new Random(text.hashCode());
    float[] vector = new float[Math.max(1, dimensions)];
    double norm = 0;
    for (int i = 0; i < vector.length; i++) {
      vector[i] = (float) random.nextGaussian();
      norm += vector[i] * vector[i];
    }
    float length = (float) Math.sqrt(norm);
    for (int i = 0; i < vector.length; i++) {
      vector[i] /= length;
    }
    return vector;
  }

  static JsonArray json(float[] vector) {
    JsonArray array = new JsonArray();
    for (float value : vector) {
      array.add(value);
    }
    return array;
  }

  /** As OpenAI encodes it with {@code encoding_format: base64}: little-endian float32. */
  static String base64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : vector) {
      bytes.putFloat(value);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
