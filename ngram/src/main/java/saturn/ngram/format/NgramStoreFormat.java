package saturn.ngram.format;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import saturn.artifact.CorruptArtifactException;

/**
 * The n-gram count store: directory {@value #INDEX_DIR} of the count artifact holds P Lucene indexes
 * {@code p0 .. p<P-1>} (P = the manifest's {@code partitions}, written in parallel), each one segment with one
 * document. A context (the first order-1 tokens) lives in exactly one partition, {@link #partitionOf}. Each distinct n-gram is a term of field {@value #FIELD}: its token ids, each in
 * {@code bytesPerToken} big-endian bytes (2 for vocabularies up to 65,536, 3 up to 2^24, else 4), so the term order
 * is the token order and all continuations of a context are adjacent terms. The n-gram's count is the term's
 * frequency in the document ({@code TermsEnum.totalTermFreq()}), kept by {@link CountPostingsFormat} as the terms
 * dictionary's own term statistics. Checksums: Lucene's codec footers (CRC32 on every
 * file) plus the artifact manifest's sha256.
 */
public final class NgramStoreFormat {
  public static final String FORMAT_NAME = "saturn-ngram-counts";
  /** v2: the n-gram field's postings are {@link CountPostingsFormat}; v1 stores (Lucene912 postings) still read. */
  public static final int FORMAT_VERSION = 2;
  public static final String INDEX_DIR = "index";
  public static final String FIELD = "ngram";
  public static final String TOKENIZER_FILE = "tokenizer.json";

  private NgramStoreFormat() {}

  public static String partitionDir(int p) {
    return "p" + p;
  }

  /**
   * The partition of a context, from its term bytes (order-1 tokens, big-endian): a 64-bit multiplicative hash of
   * the bytes, high bits, modulo P. Part of the format: changing it needs a new format version.
   */
  public static int partitionOf(byte[] term, int off, int contextBytes, int partitions) {
    return saturn.ngram.internal.Partitioning.ofTerm(term, off, contextBytes, partitions);
  }

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
