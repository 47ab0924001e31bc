import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.JarIndexer;

/**
 * A step of the EAR's build (run by the ear module with {@code java IndexLibraries.java}): each
 * library jar gets its annotation index ({@code META-INF/jandex.idx}) once, here, and the EAR the
 * plugin wrote (from the same directory) takes the copies indexed now. WildFly reads such an index
 * instead of scanning the jar's classes at every deployment: PDFBox, POI and the rest cost 2 s of
 * each start otherwise (15.9 against 13.9 s to a started server, three alternating starts each).
 *
 * <p>Arguments: the EAR's working directory's {@code lib}, and the EAR file.
 */
public final class IndexLibraries {

  private IndexLibraries() {}

  public static void main(String[] args) throws IOException {
    Path lib = Path.of(args[0]);
    Path ear = Path.of(args[1]);
    // the EAR plugin leaves a jar it copied before in place: only new ones lack their index
    List<Path> indexed = new ArrayList<>();
    PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(lib, "*.jar")) {
      for (Path jar : jars) {
        if (!hasIndex(jar)) {
          JarIndexer.createJarIndex(
              jar.toFile(), new Indexer(), true, false, false, quiet, System.err);
          indexed.add(jar);
        }
      }
    }
    if (!indexed.isEmpty()) {
      try (FileSystem archive = FileSystems.newFileSystem(ear)) {
        for (Path jar : indexed) {
          Files.copy(jar, archive.getPath("lib", jar.getFileName().toString()), REPLACE_EXISTING);
        }
      }
    }
    System.out.println(
        "Annotation indexes: " + indexed.size() + " library jars indexed now, into "
            + ear.getFileName());
  }

  private static boolean hasIndex(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.getEntry("META-INF/jandex.idx") != null;
    }
  }
}
