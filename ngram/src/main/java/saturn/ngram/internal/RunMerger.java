package saturn.ngram.internal;

import java.io.IOException;
import java.util.List;

/**
 * K-way merge of sorted (n-gram, count) streams into one sorted stream, summing the counts of equal n-grams.
 *
 * <p>Why it is fast: a tree of losers over the sources (Knuth 5.4.1): replacing the smallest key costs one comparison
 * per tree level, about half of what a binary heap's sift-down costs, with no per-entry allocation. Each source's
 * current key is copied into one flat array, so a comparison reads two slots of it instead of calling into both
 * sources; the output key is copied into one reused array.
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

  public RunMerger(KeyCodec codec, List<? extends SortedCounts> sources) throws IOException {
    this.codec = codec;
    this.sources = sources.toArray(new SortedCounts[0]);
    this.k = this.sources.length;
    this.words = codec.words();
    this.key = new long[words];
    this.heads = new long[k * words];
    this.done = new boolean[k];
    this.tree = new int[Math.max(1, k)];
    for (int i = 0; i < k; i++) {
      if (this.sources[i].next()) loadHead(i);
      else done[i] = true;
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
    System.arraycopy(s.key(), s.keyOffset(), heads, i * words, words);
  }

  private boolean less(int a, int b) {
    if (done[a]) return false;
    if (done[b]) return true;
    return codec.compare(heads, a * words, heads, b * words) < 0;
  }

  /** Source {@code w}'s key changed: replays its path to the root. */
  private void replay(int w) {
    for (int node = (w + k) >>> 1; node > 0; node >>>= 1) {
      int t = tree[node];
      if (less(t, w)) {
        tree[node] = w;
        w = t;
      }
    }
    tree[0] = w;
  }

  @Override
  public boolean next() throws IOException {
    if (k == 0 || done[tree[0]]) return false;
    System.arraycopy(heads, tree[0] * words, key, 0, words);
    count = 0;
    while (true) {
      int w = tree[0];
      if (done[w] || codec.compare(heads, w * words, key, 0) != 0) break;
      SortedCounts top = sources[w];
      count += top.count();
      if (top.next()) loadHead(w);
      else done[w] = true;
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
