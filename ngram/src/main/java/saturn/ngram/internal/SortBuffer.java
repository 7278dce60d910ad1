package saturn.ngram.internal;

/**
 * A fixed-capacity buffer of packed n-gram keys that is radix-sorted and collapsed into (key, count) pairs when full.
 *
 * <p>Why it is fast: keys are stored interleaved in one {@code long[]} (no objects, no pointers) and sorted by an MSD
 * radix sort over only the bits the keys use (a GPT-2 5-gram uses 80 of 128 bits): one 16-bit pass over the whole
 * buffer, then passes within buckets that fit in cache, instead of the 8 full-buffer passes an LSD sort needs.
 * Counting equal keys after the sort is one sequential scan. The scratch array the sort needs is reused for the counts.
 */
public final class SortBuffer {
  private final KeyCodec codec;
  private final int words;
  private final int capacity;
  private long[] keys;
  private long[] scratch;
  private int size;
  private int distinct = -1;

  public SortBuffer(KeyCodec codec, int capacity) {
    this.codec = codec;
    this.words = codec.words();
    this.capacity = capacity;
    this.keys = new long[Math.multiplyExact(capacity, words)];
    this.scratch = new long[Math.multiplyExact(capacity, words)];
  }

  /** Bytes a buffer of this capacity holds on the heap. */
  public static long bytesFor(KeyCodec codec, long capacity) {
    return capacity * codec.words() * 16L;
  }

  public int capacity() {
    return capacity;
  }

  public int size() {
    return size;
  }

  public boolean isFull() {
    return size == capacity;
  }

  /** The array the next key is packed into, at {@link #nextOffset()}; call {@link #commit()} after packing. */
  public long[] keys() {
    return keys;
  }

  public int nextOffset() {
    return size * words;
  }

  public void commit() {
    size++;
  }

  public void clear() {
    size = 0;
    distinct = -1;
  }

  /** Sorts the keys and collapses duplicates; afterwards {@link #distinct()} entries with {@link #countAt(int)}. */
  public void sortAndCount() {
    radixSort();
    long[] k = keys;
    long[] c = scratch; // free after the sort: reused for counts
    int n = size;
    int out = -1;
    for (int i = 0; i < n; i++) {
      int off = i * words;
      if (out >= 0 && equalsAt(k, out * words, off)) {
        c[out]++;
      } else {
        out++;
        if (out != i) System.arraycopy(k, off, k, out * words, words);
        c[out] = 1;
      }
    }
    distinct = out + 1;
  }

  private boolean equalsAt(long[] k, int a, int b) {
    for (int w = 0; w < words; w++) if (k[a + w] != k[b + w]) return false;
    return true;
  }

  public int distinct() {
    return distinct;
  }

  public long[] sortedKeys() {
    return keys;
  }

  public long countAt(int i) {
    return scratch[i];
  }

  /** The sorted, collapsed contents as a stream (valid until the buffer is cleared). */
  public SortedCounts asSortedCounts() {
    final long[] k = keys;
    final long[] c = scratch;
    final int n = distinct;
    return new SortedCounts() {
      int i = -1;

      @Override
      public boolean next() {
        return ++i < n;
      }

      @Override
      public long[] key() {
        return k;
      }

      @Override
      public int keyOffset() {
        return i * words;
      }

      @Override
      public long count() {
        return c[i];
      }
    };
  }

  private void radixSort() {
    if (size > 1) msdSort(keys, scratch, 0, size, 0);
  }

  /**
   * Sorts entries [lo, hi) of {@code a} by their bits from {@code bit} on (MSD radix sort, {@code tmp} as scratch).
   * The first pass splits on 16 bits (for text: roughly the first token), after which most buckets are small enough
   * to sit in cache for the next, narrower passes; buckets of at most 32 entries are insertion-sorted and a pass in
   * which every entry has the same digit is skipped without moving data.
   */
  private void msdSort(long[] a, long[] tmp, int lo, int hi, int bit) {
    final int w = words;
    final int used = codec.usedBits();
    while (true) {
      int n = hi - lo;
      if (n <= 32) {
        insertionSort(a, lo, hi);
        return;
      }
      if (bit >= used) return; // all remaining bits are equal
      int width = Math.min(n >= (1 << 16) ? 16 : n >= (1 << 10) ? 11 : 8, used - bit);
      int buckets = 1 << width;
      int[] start = new int[buckets + 1];
      for (int i = lo; i < hi; i++) start[digit(a, i * w, bit, width) + 1]++;
      int single = -1;
      for (int b = 1; b <= buckets; b++) {
        if (start[b] == n) {
          single = b;
          break;
        }
        if (start[b] != 0) break;
      }
      if (single >= 0) { // one bucket holds everything: go to the next digit without moving anything
        bit += width;
        continue;
      }
      for (int b = 1; b <= buckets; b++) start[b] += start[b - 1];
      int[] pos = java.util.Arrays.copyOf(start, buckets);
      if (w == 2) {
        for (int i = lo; i < hi; i++) {
          int at = 2 * (lo + pos[digit(a, 2 * i, bit, width)]++);
          tmp[at] = a[2 * i];
          tmp[at + 1] = a[2 * i + 1];
        }
      } else {
        for (int i = lo; i < hi; i++) {
          int at = w * (lo + pos[digit(a, i * w, bit, width)]++);
          System.arraycopy(a, i * w, tmp, at, w);
        }
      }
      System.arraycopy(tmp, lo * w, a, lo * w, n * w);
      int next = bit + width;
      for (int b = 0; b < buckets; b++) {
        int s = lo + start[b];
        int e = lo + start[b + 1];
        if (e - s > 1) msdSort(a, tmp, s, e, next);
      }
      return;
    }
  }

  /**
   * Insertion sort of two-word keys with the current key in locals: no comparator call, no temporary array (small
   * buckets are where most of the sort's calls go).
   */
  private static void insertionSort2(long[] a, int lo, int hi) {
    for (int i = lo + 1; i < hi; i++) {
      long k0 = a[2 * i];
      long k1 = a[2 * i + 1];
      int j = i - 1;
      while (j >= lo) {
        long j0 = a[2 * j];
        int c = Long.compareUnsigned(j0, k0);
        if (c < 0 || (c == 0 && Long.compareUnsigned(a[2 * j + 1], k1) <= 0)) break;
        a[2 * j + 2] = j0;
        a[2 * j + 3] = a[2 * j + 1];
        j--;
      }
      a[2 * j + 2] = k0;
      a[2 * j + 3] = k1;
    }
  }

  /** {@code width} (<= 16) bits of the key at {@code off}, starting {@code bit} bits from its most significant end. */
  private int digit(long[] a, int off, int bit, int width) {
    int wi = bit >>> 6;
    int sh = bit & 63;
    long v = a[off + wi] << sh;
    if (sh + width > 64) v |= a[off + wi + 1] >>> (64 - sh);
    return (int) (v >>> (64 - width));
  }

  private void insertionSort(long[] a, int lo, int hi) {
    if (words == 2) {
      insertionSort2(a, lo, hi);
      return;
    }
    final int w = words;
    long[] t = new long[w];
    for (int i = lo + 1; i < hi; i++) {
      if (codec.compare(a, (i - 1) * w, a, i * w) <= 0) continue;
      System.arraycopy(a, i * w, t, 0, w);
      int j = i - 1;
      while (j >= lo && codec.compare(a, j * w, t, 0) > 0) {
        System.arraycopy(a, j * w, a, (j + 1) * w, w);
        j--;
      }
      System.arraycopy(t, 0, a, (j + 1) * w, w);
    }
  }
}
