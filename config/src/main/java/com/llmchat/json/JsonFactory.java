package com.llmchat.json;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.util.Map;

/**
 * JSON-P, looked up once. Every {@code jakarta.json.Json.create…} call asks {@code ServiceLoader}
 * for the provider again, which JBoss Modules answers by reading module jars under a lock per jar:
 * one lookup per token, all streams queued on one jar (docs/performance.md). The factories here are
 * made once and are safe to share between threads.
 */
public final class JsonFactory {

  private static final JsonProvider PROVIDER = JsonProvider.provider();
  private static final JsonReaderFactory READERS = PROVIDER.createReaderFactory(Map.of());
  private static final JsonParserFactory PARSERS = PROVIDER.createParserFactory(Map.of());
  private static final JsonBuilderFactory BUILDERS = PROVIDER.createBuilderFactory(Map.of());

  private JsonFactory() {}

  public static JsonObjectBuilder object() {
    return BUILDERS.createObjectBuilder();
  }

  /** A builder that starts with the members of {@code object}. */
  public static JsonObjectBuilder object(JsonObject object) {
    return BUILDERS.createObjectBuilder(object);
  }

  public static JsonArrayBuilder array() {
    return BUILDERS.createArrayBuilder();
  }

  public static JsonString string(String value) {
    return PROVIDER.createValue(value);
  }

  /** One JSON text (an object, array or scalar); a malformed one throws a JsonException. */
  public static JsonValue parse(String text) {
    try (JsonReader reader = READERS.createReader(new StringReader(text))) {
      return reader.readValue();
    } catch (NumberFormatException | UnsupportedOperationException e) {
      throw outOfRange(e);
    }
  }

  /** A streaming parser of the text, for large answers read for a field or two. */
  public static JsonParser parser(String text) {
    return PARSERS.createParser(new StringReader(text));
  }

  /** One JSON object; anything else throws a JsonException. */
  public static JsonObject parseObject(String text) {
    try (JsonReader reader = READERS.createReader(new StringReader(text))) {
      return reader.readObject();
    } catch (NumberFormatException | UnsupportedOperationException e) {
      throw outOfRange(e);
    }
  }

  /**
   * Parsson turns every number into a BigDecimal as it reads it, and {@code 1e99999999999} (an
   * exponent past an int) makes that throw NumberFormatException, a number of more than 1,100
   * characters UnsupportedOperationException: not the JsonException callers expect from text a
   * model server or a client sent.
   */
  private static JsonException outOfRange(RuntimeException e) {
    return new JsonException("a number out of range: " + e.getMessage(), e);
  }
}
