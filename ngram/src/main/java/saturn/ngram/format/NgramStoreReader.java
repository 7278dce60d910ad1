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
import saturn.ngram.internal.RunMerger;
import saturn.ngram.internal.SortedCounts;

/**
 * Reads the n-gram store ({@link NgramStoreFormat}): lookups of one n-gram's count, all continuations of a context,
 * and the whole store in order. Opening checks every file's Lucene checksum footer; damage raises
 * {@link CorruptArtifactException} naming the file. Keep one reader open for many queries: a lookup is a seek in
 * the memory-mapped terms dictionary (microseconds). Lookups are thread-safe.
 */
public final class NgramStoreReader implements AutoCloseable {
  private final Path storeDir;
  private final Directory[] dirs;
  private final DirectoryReader[] readers;
  private final Terms[] terms;
  private final int order;
  private final int bytesPerToken;

  /** One continuation of a context: the next token and how often the n-gram occurred. */
  public record Continuation(int token, long count) {}

  private NgramStoreReader(Path storeDir, int partitions, int order, int bytesPerToken, boolean verifyChecksums) throws IOException {
    this.storeDir = storeDir;
    this.order = order;
    this.bytesPerToken = bytesPerToken;
    this.dirs = new Directory[partitions];
    this.readers = new DirectoryReader[partitions];
    this.terms = new Terms[partitions];
    Path current = storeDir;
    try {
      for (int p = 0; p < partitions; p++) {
        current = storeDir.resolve(NgramStoreFormat.partitionDir(p));
        if (!java.nio.file.Files.isDirectory(current)) throw new CorruptArtifactException(current, "partition missing from the n-gram store");
        dirs[p] = new MMapDirectory(current);
        readers[p] = DirectoryReader.open(dirs[p]);
        if (readers[p].leaves().size() != 1) {
          throw new CorruptArtifactException(current, "expected one segment, found " + readers[p].leaves().size());
        }
        LeafReader leaf = readers[p].leaves().get(0).reader();
        if (verifyChecksums) leaf.checkIntegrity();
        terms[p] = leaf.terms(NgramStoreFormat.FIELD);
      }
    } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException | EOFException
             | java.nio.file.NoSuchFileException e) {
      closeQuietly();
      throw NgramStoreFormat.corrupt(current, e);
    } catch (IOException | RuntimeException e) {
      closeQuietly();
      throw e;
    }
  }

  private void closeQuietly() {
    for (int p = 0; p < dirs.length; p++) {
      try {
        if (readers[p] != null) readers[p].close();
        if (dirs[p] != null) dirs[p].close();
      } catch (Exception ignored) {
        // already failing
      }
    }
  }

  /**
   * Opens the store in {@code storeDir} ({@code partitions} Lucene indexes).
   *
   * @param verifyChecksums recompute every file's CRC32 against its Lucene footer (reads the whole store once)
   */
  public static NgramStoreReader open(Path storeDir, int partitions, int order, int bytesPerToken, boolean verifyChecksums)
      throws IOException {
    return new NgramStoreReader(storeDir, partitions, order, bytesPerToken, verifyChecksums);
  }

  public int order() {
    return order;
  }

  /** A vocabulary size whose {@link KeyCodec} has this store's bytes per token (the largest such). */
  public long vocabularyBound() {
    return 1L << (8 * bytesPerToken);
  }

  /** Distinct n-grams in the store. */
  public long distinctNgrams() throws IOException {
    long n = 0;
    for (Terms t : terms) n += t == null ? 0 : t.size();
    return n;
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
    byte[] term = termOf(ngram, order);
    Terms t = terms[NgramStoreFormat.partitionOf(term, 0, term.length - bytesPerToken, terms.length)];
    if (t == null) return 0;
    TermsEnum te = t.iterator();
    return wrap(() -> te.seekExact(new BytesRef(term)) ? te.totalTermFreq() : 0L);
  }

  /**
   * Every continuation of {@code prefix} (0 to order-1 tokens): for each token that follows the prefix in some
   * n-gram, the summed count of those n-grams, in token order.
   */
  public List<Continuation> continuations(int[] prefix) throws IOException {
    if (prefix.length >= order) throw new IllegalArgumentException("a context has at most " + (order - 1) + " tokens, got " + prefix.length);
    byte[] p = termOf(prefix, prefix.length);
    boolean last = prefix.length == order - 1;
    if (last) {
      // A full context lives in one partition: one seek, continuations already in token order.
      List<Continuation> out = new ArrayList<>();
      Terms t = terms[NgramStoreFormat.partitionOf(p, 0, p.length, terms.length)];
      if (t != null) scanPrefix(t, p, prefix.length, (next, c) -> out.add(new Continuation(next, c)));
      return out;
    }
    Map<Integer, Long> agg = new HashMap<>();
    for (Terms t : terms) {
      if (t != null) scanPrefix(t, p, prefix.length, (next, c) -> agg.merge(next, c, Long::sum));
    }
    List<Continuation> out = new ArrayList<>();
    agg.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.add(new Continuation(e.getKey(), e.getValue())));
    return out;
  }

  private interface NextSink {
    void accept(int next, long count);
  }

  private void scanPrefix(Terms t, byte[] p, int position, NextSink sink) throws IOException {
    TermsEnum te = t.iterator();
    int[] tokens = new int[order];
    wrap(() -> {
      if (te.seekCeil(new BytesRef(p)) == TermsEnum.SeekStatus.END) return null;
      for (BytesRef b = te.term(); b != null; b = te.next()) {
        if (!startsWith(b, p)) break;
        KeyCodec.termTokens(b.bytes, b.offset, order, bytesPerToken, tokens);
        sink.accept(tokens[position], te.totalTermFreq());
      }
      return null;
    });
  }

  private static boolean startsWith(BytesRef t, byte[] p) {
    if (t.length < p.length) return false;
    return Arrays.equals(t.bytes, t.offset, t.offset + p.length, p, 0, p.length);
  }

  /** The whole store in key order as packed keys of {@code codec} (whose order must equal the store's). */
  public SortedCounts sortedCounts(KeyCodec codec) throws IOException {
    checkCodec(codec);
    List<SortedCounts> parts = new ArrayList<>();
    for (int p = 0; p < terms.length; p++) parts.add(partition(codec, p));
    // Partitions hold disjoint contexts, so the merge never sums; it only restores the global order.
    return parts.size() == 1 ? parts.get(0) : new RunMerger(codec, parts);
  }

  /** Partitions of the store (P Lucene indexes). */
  public int partitions() {
    return terms.length;
  }

  /** Partition {@code p}'s n-grams in key order, as packed keys of {@code codec}. */
  public SortedCounts partition(KeyCodec codec, int p) throws IOException {
    checkCodec(codec);
    final TermsEnum te = terms[p] == null ? TermsEnum.EMPTY : terms[p].iterator();
    final long[] key = new long[codec.words()];
    final int termBytes = codec.termBytes();
    return new SortedCounts() {
      long count;

      @Override
      public boolean next() throws IOException {
        BytesRef b = wrap(te::next);
        if (b == null) return false;
        if (b.length != termBytes) throw NgramStoreFormat.corrupt(storeDir, new CorruptIndexException("term of " + b.length
            + " bytes in a store of " + termBytes + "-byte n-grams", storeDir.toString()));
        codec.fromTerm(b.bytes, b.offset, key, 0);
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

  /**
   * The store's n-grams split into {@code partitions} streams by {@link NgramStoreFormat#partitionOf} (what a count
   * with that many threads writes): this store's own partitions when it has as many, else each stream filters the
   * whole store. Every stream has its own enumerators, so each may be read by another thread.
   */
  public List<SortedCounts> partitionStreams(KeyCodec codec, int partitions) throws IOException {
    List<SortedCounts> out = new ArrayList<>();
    if (partitions == terms.length) {
      for (int p = 0; p < partitions; p++) out.add(partition(codec, p));
      return out;
    }
    int contextBytes = codec.termBytes() - codec.bytesPerToken();
    for (int p = 0; p < partitions; p++) {
      final int part = p;
      final SortedCounts all = sortedCounts(codec);
      out.add(new SortedCounts() {
        @Override
        public boolean next() throws IOException {
          while (all.next()) {
            if (saturn.ngram.internal.Partitioning.ofKey(all.key(), all.keyOffset(), contextBytes, partitions) == part) return true;
          }
          return false;
        }

        @Override
        public long[] key() {
          return all.key();
        }

        @Override
        public int keyOffset() {
          return all.keyOffset();
        }

        @Override
        public long count() {
          return all.count();
        }
      });
    }
    return out;
  }

  private void checkCodec(KeyCodec codec) {
    if (codec.order() != order) throw new IllegalArgumentException("order " + codec.order() + " != store order " + order);
    if (codec.bytesPerToken() != bytesPerToken) {
      throw new IllegalArgumentException(codec.bytesPerToken() + " bytes per token != the store's " + bytesPerToken);
    }
  }

  /**
   * Visits every n-gram in token order: its tokens (a reused array) and count. The partitions' terms are merged by
   * unsigned byte order, which is token order for big-endian terms.
   */
  public void forEach(NgramVisitor visitor) throws IOException {
    int p = terms.length;
    TermsEnum[] enums = new TermsEnum[p];
    BytesRef[] heads = new BytesRef[p];
    for (int i = 0; i < p; i++) {
      enums[i] = terms[i] == null ? TermsEnum.EMPTY : terms[i].iterator();
      heads[i] = wrap(enums[i]::next);
    }
    int[] tokens = new int[order];
    while (true) {
      int min = -1;
      for (int i = 0; i < p; i++) {
        if (heads[i] != null && (min < 0 || heads[i].compareTo(heads[min]) < 0)) min = i;
      }
      if (min < 0) return;
      BytesRef t = heads[min];
      KeyCodec.termTokens(t.bytes, t.offset, order, bytesPerToken, tokens);
      visitor.visit(tokens, wrap(enums[min]::totalTermFreq));
      heads[min] = wrap(enums[min]::next);
    }
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
      throw NgramStoreFormat.corrupt(storeDir, e);
    }
  }

  @Override
  public void close() throws IOException {
    for (int p = 0; p < dirs.length; p++) {
      readers[p].close();
      dirs[p].close();
    }
  }
}
