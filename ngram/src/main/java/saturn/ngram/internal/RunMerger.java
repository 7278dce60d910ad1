package saturn.ngram.internal;

import java.io.IOException;
import java.util.List;

/**
 * K-way merge of sorted (n-gram, count) streams into one sorted stream, summing the counts of equal n-grams.
 *
 * <p>Why it is fast: a tree of losers over the sources (Knuth 5.4.1): replacing the smallest key costs one comparison
 * per tree level, about half of what a binary heap's sift-down costs, with no per-entry allocation. Each source's
 * current key is copied into one flat array, so a comparison reads two slots of it instead of calling into both
 * sources; the output key is copied into one reused array. Keys of one or two words (every vocabulary up to 2^16 up
 * to order 7, and 5-grams of any vocabulary up to 2^24) are kept as two sign-flipped longs per source, so a match is
 * two signed comparisons without branches, and an exhausted source is a key greater than any real one: merging
 * streams interleaves their keys at random, so the outcome of every match is a coin flip that a branch predictor
 * loses half the time.
 */
public final class RunMerger implements SortedCounts {
  private final KeyCodec codec;
  private final SortedCounts[] sources;
  private final int k;
  private final int words;
  /** Current key of source i at heads[i * words ..]. */
  private final long[] heads;
  /** Exhausted sources compare greater than every key. */
  private final boolean[] done;
  /** tree[1 .. k-1]: the loser of the match at that node (leaf of source i is node k + i); tree[0]: the winner. */
  private final int[] tree;
  private final long[] key;
  private long count;
  /** Two-word path: word 0 and 1 of source i's key, each XOR Long.MIN_VALUE (signed order = unsigned order). */
  private final boolean twoWords;
  private final long[] h0;
  private final long[] h1;
  /** Greater than every real key: those leave at least their last bit zero. */
  private static final long EXHAUSTED = Long.MAX_VALUE;

  public RunMerger(KeyCodec codec, List<? extends SortedCounts> sources) throws IOException {
    this.codec = codec;
    this.sources = sources.toArray(new SortedCounts[0]);
    this.k = this.sources.length;
    this.words = codec.words();
    this.key = new long[words];
    this.heads = new long[k * words];
    this.done = new boolean[k];
    this.tree = new int[Math.max(1, k)];
    this.twoWords = words <= 2 && codec.usedBits() < 64 * words;
    this.h0 = new long[k];
    this.h1 = new long[k];
    for (int i = 0; i < k; i++) {
      if (this.sources[i].next()) loadHead(i);
      else exhaust(i);
    }
    if (k > 0) tree[0] = build(1);
  }

  /** Plays the matches below {@code node}, storing losers; returns the winner. */
  private int build(int node) {
    if (node >= k) return node - k;
    int l = build(2 * node);
    int r = build(2 * node + 1); // every internal node (1 .. k-1) has two children
    if (less(r, l)) {
      tree[node] = l;
      return r;
    }
    tree[node] = r;
    return l;
  }

  private void loadHead(int i) {
    SortedCounts s = sources[i];
    long[] k = s.key();
    int off = s.keyOffset();
    if (twoWords) {
      h0[i] = k[off] ^ Long.MIN_VALUE;
      h1[i] = words == 2 ? k[off + 1] ^ Long.MIN_VALUE : 0;
    } else {
      System.arraycopy(k, off, heads, i * words, words);
    }
  }

  private void exhaust(int i) {
    done[i] = true;
    h0[i] = EXHAUSTED;
    h1[i] = EXHAUSTED;
  }

  private boolean less(int a, int b) {
    if (twoWords) {
      long a0 = h0[a];
      long b0 = h0[b];
      return a0 < b0 | (a0 == b0 & h1[a] < h1[b]); // no short-circuit: no branch to mispredict
    }
    if (done[a]) return false;
    if (done[b]) return true;
    return codec.compare(heads, a * words, heads, b * words) < 0;
  }

  /** Whether source w's current key is the output key. */
  private boolean isCurrent(int w) {
    if (twoWords) { // an exhausted source never matches: a real key's flipped words are never both EXHAUSTED
      return h0[w] == (key[0] ^ Long.MIN_VALUE) && (words == 1 || h1[w] == (key[1] ^ Long.MIN_VALUE));
    }
    return !done[w] && codec.compare(heads, w * words, key, 0) == 0;
  }

  /** Source {@code w}'s key changed: replays its path to the root. */
  private void replay(int w) {
    for (int node = (w + k) >>> 1; node > 0; node >>>= 1) {
      int t = tree[node];
      boolean swap = less(t, w);
      tree[node] = swap ? w : t;
      w = swap ? t : w;
    }
    tree[0] = w;
  }

  @Override
  public boolean next() throws IOException {
    if (k == 0 || done[tree[0]]) return false;
    int first = tree[0];
    if (twoWords) {
      key[0] = h0[first] ^ Long.MIN_VALUE;
      if (words == 2) key[1] = h1[first] ^ Long.MIN_VALUE;
    } else {
      System.arraycopy(heads, first * words, key, 0, words);
    }
    count = 0;
    while (true) {
      int w = tree[0];
      if (!isCurrent(w)) break;
      SortedCounts top = sources[w];
      count += top.count();
      if (top.next()) loadHead(w);
      else exhaust(w);
      replay(w);
    }
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

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (SortedCounts s : sources) {
      try {
        s.close();
      } catch (IOException e) {
        if (first == null) first = e;
      }
    }
    if (first != null) throw first;
  }
}
