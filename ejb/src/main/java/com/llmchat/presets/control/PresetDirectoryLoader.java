package com.llmchat.presets.control;

import com.llmchat.json.JsonFactory;
import com.llmchat.platform.control.StartupTurn;
import com.llmchat.presets.boundary.Presets;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * At every start, the presets files of the operator's directory ({@code LLMCHAT_PRESETS_DIR}, every
 * {@code *.json} in name order) become shared presets offered to everybody: a preset of the same
 * name is replaced, so editing a file and restarting is how the earlier systems' "reload agents" is
 * done here. A file that cannot be read is logged and skipped; the others still load.
 */
@Startup
@Singleton
@DependsOn("SchemaMigrations")
public class PresetDirectoryLoader {

  private static final Logger LOG = Logger.getLogger(PresetDirectoryLoader.class.getName());

  @Inject Presets presets;
  @Inject StartupTurn startupTurn;

  @Inject
  @ConfigProperty(name = "llmchat.presets.dir")
  Optional<String> directory;

  @PostConstruct
  void load() {
    startupTurn.take();
    if (directory.isEmpty() || directory.get().isBlank()) {
      return;
    }
    Path dir = Path.of(directory.get().strip());
    if (!Files.isDirectory(dir)) {
      LOG.severe(() -> "LLMCHAT_PRESETS_DIR is not a directory: " + dir);
      return;
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(dir)) {
      files = listed.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      LOG.log(Level.SEVERE, "Cannot list the presets directory " + dir, e);
      return;
    }
    for (Path file : files) {
      try {
        var read =
            PresetFiles.read(JsonFactory.parse(Files.readString(file, StandardCharsets.UTF_8)));
        var done = presets.load(read, file.getFileName().toString());
        LOG.info(
            () ->
                "Presets from "
                    + file
                    + ": "
                    + done.created()
                    + " new, "
                    + done.replaced()
                    + " replaced");
      } catch (IOException | RuntimeException e) {
        LOG.severe(() -> "The presets file " + file + " was not loaded: " + e.getMessage());
      }
    }
  }
}
