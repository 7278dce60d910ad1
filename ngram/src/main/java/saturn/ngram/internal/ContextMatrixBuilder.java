package saturn.ngram.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import saturn.ngram.ContextMatrixSpec;
import saturn.ngram.format.ContextMatrixWriter;
import saturn.ngram.format.NgramStoreReader;

/**
 * Builds W from the n-gram store in one streaming pass (two when a top-M or sampling filter needs the context totals
 * first): the store is in token order, so each context's continuations arrive together and a row is complete as
 * soon as the context changes. Memory: one row, plus O(M) for top-M or one bit per eligible context for sampling.
 */
public final class ContextMatrixBuilder {
  private ContextMatrixBuilder() {}

  public record Result(long rows, long nnz, long contextsBefore, long contextsWithMinCount, long ngramsInRows,
      long maxContextCount) {}

  /** Receives each context with its continuations. */
  private interface RowSink {
    void row(int[] context, int[] next, long[] counts, int n, long total) throws IOException;
  }

  /**
   * Groups the store's n-grams by context. Reads the partitions as packed keys merged in key order (no per-term
   * byte comparison or full decoding): a context changes where two keys differ within their first order-1 tokens,
   * and only the context (once per row) and each n-gram's last token are unpacked.
   */
  private static void scan(NgramStoreReader store, RowSink sink) throws IOException {
    int order = store.order();
    int k = order - 1;
    KeyCodec codec = new KeyCodec(order, store.vocabularyBound());
    int contextBits = k * codec.bitsPerToken();
    int[] ctx = new int[k];
    int[] next = new int[1024];
    long[] counts = new long[1024];
    long[] prev = new long[codec.words()];
    int n = 0;
    long total = 0;
    boolean any = false;
    try (SortedCounts all = store.sortedCounts(codec)) {
      while (all.next()) {
        long[] key = all.key();
        int off = all.keyOffset();
        if (any && codec.sharedBits(prev, 0, key, off) < contextBits) {
          sink.row(ctx, next, counts, n, total);
          n = 0;
          total = 0;
        }
        if (n == 0) {
          for (int i = 0; i < k; i++) ctx[i] = codec.token(key, off, i);
        }
        System.arraycopy(key, off, prev, 0, prev.length);
        any = true;
        if (n == next.length) {
          next = Arrays.copyOf(next, n * 2);
          counts = Arrays.copyOf(counts, n * 2);
        }
        long c = all.count();
        next[n] = codec.token(key, off, k);
        counts[n] = c;
        n++;
        total += c;
      }
    }
    if (any) sink.row(ctx, next, counts, n, total);
  }

  public static Result build(NgramStoreReader store, int vocabSize, ContextMatrixSpec cfg, Path dir, String countsId)
      throws IOException {
    long min = cfg.minCount();
    long[] before = {0};
    long[] eligible = {0};
    long[] maxTotal = {0};
    BitSet selected = null;
    if (cfg.topContexts() > 0 || cfg.sampleContexts() > 0) {
      // Pass 1: the totals of eligible contexts decide which rows are kept.
      final PriorityQueue<long[]> top = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(b[1], a[1]));
      final long m = cfg.topContexts();
      scan(store, (ctx, next, counts, n, total) -> {
        if (total < min) return;
        long ord = eligible[0]++;
        if (m > 0) {
          if (top.size() < m) top.add(new long[] {total, ord});
          else if (total > top.peek()[0]) {
            top.poll();
            top.add(new long[] {total, ord});
          }
        }
      });
      long e = eligible[0];
      if (e > Integer.MAX_VALUE) throw new IllegalArgumentException(countsId + ": " + e + " eligible contexts; raise --min-count");
      selected = new BitSet((int) e);
      if (m > 0) {
        for (long[] x : top) selected.set((int) x[1]);
      } else {
        long s = cfg.sampleContexts();
        if (s >= e) {
          selected.set(0, (int) e);
        } else {
          // Floyd's algorithm: a uniform sample of s distinct ordinals out of e, O(s) draws.
          SplittableRandom rnd = new SplittableRandom(cfg.seed());
          for (long j = e - s; j < e; j++) {
            int t = (int) rnd.nextLong(j + 1);
            if (selected.get(t)) selected.set((int) j);
            else selected.set(t);
          }
        }
      }
      eligible[0] = 0;
    }
    final BitSet keep = selected;
    long[] ngramsInRows = {0};
    ContextMatrixWriter w = new ContextMatrixWriter(dir, store.order() - 1, vocabSize);
    try (w) {
      scan(store, (ctx, next, counts, n, total) -> {
        before[0]++;
        if (total > maxTotal[0]) maxTotal[0] = total;
        if (total < min) return;
        long ord = eligible[0]++;
        if (keep != null && !keep.get((int) ord)) return;
        w.addRow(ctx, next, counts, n);
        ngramsInRows[0] += total;
      });
    }
    if (w.rows() == 0) {
      throw new IllegalArgumentException(countsId + ": none of its " + before[0] + " contexts was seen at least " + min
          + " times (the most frequent was seen " + maxTotal[0] + " times), so W would be empty — lower --min-count"
          + (maxTotal[0] > 0 ? " to at most " + maxTotal[0] : "") + " or count a larger corpus");
    }
    return new Result(w.rows(), w.nnz(), before[0], eligible[0], ngramsInRows[0], maxTotal[0]);
  }
}
