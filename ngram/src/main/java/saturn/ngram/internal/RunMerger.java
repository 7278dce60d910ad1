package saturn.ngram.internal;

import java.io.IOException;
import java.util.List;

/**
 * K-way merge of sorted (n-gram, count) streams into one sorted stream, summing the counts of equal n-grams.
 *
 * <p>Why it is fast: a binary heap of source indices compared by packed keys (a couple of unsigned long compares),
 * no per-entry allocation; the output key is copied into one reused array.
 */
public final class RunMerger implements SortedCounts {
  private final KeyCodec codec;
  private final SortedCounts[] sources;
  private final int[] heap;
  private int heapSize;
  private final long[] key;
  private long count;

  public RunMerger(KeyCodec codec, List<? extends SortedCounts> sources) throws IOException {
    this.codec = codec;
    this.sources = sources.toArray(new SortedCounts[0]);
    this.heap = new int[this.sources.length];
    this.key = new long[codec.words()];
    for (int i = 0; i < this.sources.length; i++) {
      if (this.sources[i].next()) heap[heapSize++] = i;
    }
    for (int i = heapSize / 2 - 1; i >= 0; i--) siftDown(i);
  }

  private int cmp(int a, int b) {
    SortedCounts x = sources[a];
    SortedCounts y = sources[b];
    return codec.compare(x.key(), x.keyOffset(), y.key(), y.keyOffset());
  }

  private void siftDown(int i) {
    int s = heap[i];
    while (true) {
      int l = 2 * i + 1;
      if (l >= heapSize) break;
      int r = l + 1;
      int c = r < heapSize && cmp(heap[r], heap[l]) < 0 ? r : l;
      if (cmp(heap[c], s) >= 0) break;
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = s;
  }

  @Override
  public boolean next() throws IOException {
    if (heapSize == 0) return false;
    SortedCounts top = sources[heap[0]];
    System.arraycopy(top.key(), top.keyOffset(), key, 0, key.length);
    count = 0;
    while (heapSize > 0) {
      top = sources[heap[0]];
      if (codec.compare(top.key(), top.keyOffset(), key, 0) != 0) break;
      count += top.count();
      if (top.next()) {
        siftDown(0);
      } else {
        heap[0] = heap[--heapSize];
        if (heapSize > 0) siftDown(0);
      }
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
