package saturn.ngram.format;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import saturn.artifact.CorruptArtifactException;

/**
 * The n-gram count store: a Lucene index (directory {@value #INDEX_DIR} of the count artifact) holding one segment
 * with one document. Each distinct n-gram is a term of field {@value #FIELD}: its token ids, each in
 * {@code bytesPerToken} big-endian bytes (2 for vocabularies up to 65,536, 3 up to 2^24, else 4), so the term order
 * is the token order and all continuations of a context are adjacent terms. The n-gram's count is the term's
 * frequency in the document ({@code TermsEnum.totalTermFreq()}). Checksums: Lucene's codec footers (CRC32 on every
 * file) plus the artifact manifest's sha256.
 */
public final class NgramStoreFormat {
  public static final String FORMAT_NAME = "saturn-ngram-counts";
  public static final int FORMAT_VERSION = 1;
  public static final String INDEX_DIR = "index";
  public static final String FIELD = "ngram";
  public static final String TOKENIZER_FILE = "tokenizer.json";

  private NgramStoreFormat() {}

  private static final Pattern LUCENE_PATH = Pattern.compile("path=\"([^\"]+)\"");

  /** Turns a Lucene corruption report into one that names the damaged file. */
  static CorruptArtifactException corrupt(Path indexDir, Exception e) {
    String msg = String.valueOf(e.getMessage());
    Matcher m = LUCENE_PATH.matcher(msg);
    Path file = m.find() ? Path.of(m.group(1)) : indexDir;
    if (e instanceof java.nio.file.NoSuchFileException nf && nf.getFile() != null) file = Path.of(nf.getFile());
    return new CorruptArtifactException(file, "n-gram store is damaged (" + e.getClass().getSimpleName() + ": "
        + msg.replace('\n', ' ') + "); recount the n-grams (delete this artifact) or restore it", e);
  }
}
