package saturn.ngram.format;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.BytesRef;
import saturn.artifact.CorruptArtifactException;
import saturn.ngram.internal.KeyCodec;
import saturn.ngram.internal.SortedCounts;

/**
 * Reads the n-gram store ({@link NgramStoreFormat}): lookups of one n-gram's count, all continuations of a context,
 * and the whole store in order. Opening checks every file's Lucene checksum footer; damage raises
 * {@link CorruptArtifactException} naming the file. Keep one reader open for many queries: a lookup is a seek in
 * the memory-mapped terms dictionary (microseconds). Lookups are thread-safe.
 */
public final class NgramStoreReader implements AutoCloseable {
  private final Path indexDir;
  private final Directory dir;
  private final DirectoryReader reader;
  private final Terms terms;
  private final int order;
  private final int bytesPerToken;

  /** One continuation of a context: the next token and how often the n-gram occurred. */
  public record Continuation(int token, long count) {}

  private NgramStoreReader(Path indexDir, int order, int bytesPerToken, boolean verifyChecksums) throws IOException {
    this.indexDir = indexDir;
    this.order = order;
    this.bytesPerToken = bytesPerToken;
    Directory d = null;
    DirectoryReader r = null;
    try {
      d = new MMapDirectory(indexDir);
      r = DirectoryReader.open(d);
      if (r.leaves().size() != 1) throw new CorruptArtifactException(indexDir, "expected one segment, found " + r.leaves().size());
      LeafReader leaf = r.leaves().get(0).reader();
      if (verifyChecksums) leaf.checkIntegrity();
      Terms t = leaf.terms(NgramStoreFormat.FIELD);
      this.terms = t;
      this.dir = d;
      this.reader = r;
    } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException | EOFException
             | java.nio.file.NoSuchFileException e) {
      closeQuietly(r, d);
      throw NgramStoreFormat.corrupt(indexDir, e);
    } catch (IOException | RuntimeException e) {
      closeQuietly(r, d);
      throw e;
    }
  }

  private static void closeQuietly(AutoCloseable... cs) {
    for (AutoCloseable c : cs) {
      if (c == null) continue;
      try {
        c.close();
      } catch (Exception ignored) {
        // already failing
      }
    }
  }

  /**
   * Opens the index in {@code indexDir}.
   *
   * @param verifyChecksums recompute every file's CRC32 against its Lucene footer (reads the whole index once)
   */
  public static NgramStoreReader open(Path indexDir, int order, int bytesPerToken, boolean verifyChecksums) throws IOException {
    return new NgramStoreReader(indexDir, order, bytesPerToken, verifyChecksums);
  }

  public int order() {
    return order;
  }

  /** Distinct n-grams in the store. */
  public long distinctNgrams() throws IOException {
    return terms == null ? 0 : terms.size();
  }

  private byte[] termOf(int[] tokens, int length) {
    byte[] b = new byte[length * bytesPerToken];
    int p = 0;
    for (int i = 0; i < length; i++) {
      for (int k = bytesPerToken - 1; k >= 0; k--) b[p++] = (byte) (tokens[i] >>> (8 * k));
    }
    return b;
  }

  /** Count of one full n-gram (0 if unseen). */
  public long count(int[] ngram) throws IOException {
    if (ngram.length != order) throw new IllegalArgumentException("an n-gram of this store has " + order + " tokens, got " + ngram.length);
    if (terms == null) return 0;
    TermsEnum te = terms.iterator();
    return wrap(() -> te.seekExact(new BytesRef(termOf(ngram, order))) ? te.totalTermFreq() : 0L);
  }

  /**
   * Every continuation of {@code prefix} (0 to order-1 tokens): for each token that follows the prefix in some
   * n-gram, the summed count of those n-grams, in token order.
   */
  public List<Continuation> continuations(int[] prefix) throws IOException {
    if (prefix.length >= order) throw new IllegalArgumentException("a context has at most " + (order - 1) + " tokens, got " + prefix.length);
    List<Continuation> out = new ArrayList<>();
    if (terms == null) return out;
    byte[] p = termOf(prefix, prefix.length);
    TermsEnum te = terms.iterator();
    return wrap(() -> {
      if (te.seekCeil(new BytesRef(p)) == TermsEnum.SeekStatus.END) return out;
      boolean last = prefix.length == order - 1;
      Map<Integer, Long> agg = last ? null : new HashMap<>();
      int[] tokens = new int[order];
      for (BytesRef t = te.term(); t != null; t = te.next()) {
        if (!startsWith(t, p)) break;
        KeyCodec.termTokens(t.bytes, t.offset, order, bytesPerToken, tokens);
        int next = tokens[prefix.length];
        if (last) out.add(new Continuation(next, te.totalTermFreq()));
        else agg.merge(next, te.totalTermFreq(), Long::sum);
      }
      if (!last) {
        agg.entrySet().stream().sorted(Map.Entry.comparingByKey())
            .forEach(e -> out.add(new Continuation(e.getKey(), e.getValue())));
      }
      return out;
    });
  }

  private static boolean startsWith(BytesRef t, byte[] p) {
    if (t.length < p.length) return false;
    return Arrays.equals(t.bytes, t.offset, t.offset + p.length, p, 0, p.length);
  }

  /** The whole store in key order as packed keys of {@code codec} (whose order must equal the store's). */
  public SortedCounts sortedCounts(KeyCodec codec) throws IOException {
    if (codec.order() != order) throw new IllegalArgumentException("order " + codec.order() + " != store order " + order);
    final TermsEnum te = terms == null ? TermsEnum.EMPTY : terms.iterator();
    final int[] tokens = new int[order];
    final long[] key = new long[codec.words()];
    return new SortedCounts() {
      long count;

      @Override
      public boolean next() throws IOException {
        BytesRef t = wrap(te::next);
        if (t == null) return false;
        KeyCodec.termTokens(t.bytes, t.offset, order, bytesPerToken, tokens);
        codec.pack(tokens, 0, key, 0);
        count = wrap(te::totalTermFreq);
        return true;
      }

      @Override
      public long[] key() {
        return key;
      }

      @Override
      public int keyOffset() {
        return 0;
      }

      @Override
      public long count() {
        return count;
      }
    };
  }

  /** Visits every n-gram in order: its tokens (a reused array) and count. */
  public void forEach(NgramVisitor visitor) throws IOException {
    if (terms == null) return;
    TermsEnum te = terms.iterator();
    int[] tokens = new int[order];
    wrap(() -> {
      for (BytesRef t = te.next(); t != null; t = te.next()) {
        KeyCodec.termTokens(t.bytes, t.offset, order, bytesPerToken, tokens);
        visitor.visit(tokens, te.totalTermFreq());
      }
      return null;
    });
  }

  /** Receives n-grams from {@link #forEach}. */
  @FunctionalInterface
  public interface NgramVisitor {
    void visit(int[] tokens, long count) throws IOException;
  }

  private interface IoCall<T> {
    T call() throws IOException;
  }

  private <T> T wrap(IoCall<T> c) throws IOException {
    try {
      return c.call();
    } catch (CorruptIndexException | EOFException e) {
      throw NgramStoreFormat.corrupt(indexDir, e);
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
    dir.close();
  }
}
