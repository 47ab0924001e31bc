package com.llmchat.presets.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.llmchat.json.JsonFactory;
import com.llmchat.presets.entity.PresetSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresetFilesTest {

  private static final PresetSettings POET =
      new PresetSettings(
          " Poet 诗人 ", "Verse", "demo", "Write poems.", 0.9, 200, "Hello", List.of("写一首诗"));

  @Test
  void presetsWrittenReadBackEqual() {
    String file = PresetFiles.write(List.of(POET));
    assertEquals(List.of(POET), PresetFiles.read(JsonFactory.parse(file)));
    assertEquals("Poet 诗人", POET.name(), "names are trimmed");
  }

  @Test
  void aBareArrayOfPresetsIsReadToo() {
    var read = PresetFiles.read(JsonFactory.parse("[{\"name\":\"A\",\"model\":\"demo\"}]"));
    assertEquals("A", read.get(0).name());
    assertNull(read.get(0).systemPrompt());
    assertEquals(List.of(), read.get(0).suggestions());
  }

  @Test
  void whatIsWrongIsSaidWithThePresetsNumber() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                PresetFiles.read(
                    JsonFactory.parse(
                        "[{\"name\":\"A\",\"model\":\"demo\"},{\"name\":\"B\",\"model\":\"demo\","
                            + "\"temperature\":5}]")));
    assertEquals("preset 2: temperature is between 0 and 2", e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> PresetFiles.read(JsonFactory.parse("{\"a\":1}")));
  }

  @Test
  void settingsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> settings("", "demo", List.of()));
    assertThrows(IllegalArgumentException.class, () -> settings("x", " ", List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> settings("x", "demo", List.of("1", "2", "3", "4", "5", "6", "7")));
    assertThrows(IllegalArgumentException.class, () -> settings("x", "demo", List.of("a\nb")));
    assertThrows(
        IllegalArgumentException.class, () -> settings("x".repeat(101), "demo", List.of()));
    assertTrue(settings("x", "demo", null).suggestions().isEmpty());
  }

  private static PresetSettings settings(String name, String model, List<String> suggestions) {
    return new PresetSettings(name, null, model, null, null, null, null, suggestions);
  }
}
