package saturn.ngram.internal;

/**
 * A fixed-capacity buffer of packed n-gram keys that is radix-sorted and collapsed into (key, count) pairs when full.
 *
 * <p>Why it is fast: keys are stored interleaved in one {@code long[]} (no objects, no pointers), sorted by an LSD
 * radix sort with 11-bit digits over only the bits the keys use (a GPT-2 5-gram uses 80 of 128 bits: 8 passes), one
 * histogram pass computes every digit's counts at once, and digits whose histogram holds a single bucket are skipped.
 * Counting equal keys after the sort is one sequential scan. The scratch array the sort needs is reused for the counts.
 */
public final class SortBuffer {
  private static final int DIGIT_BITS = 11;
  private static final int BUCKETS = 1 << DIGIT_BITS;

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
    int n = size;
    if (n < 2) return;
    // Digit passes, least significant first: (word, shift) for each 11-bit digit of the used bits.
    int used = codec.usedBits();
    int maxPasses = (used + DIGIT_BITS - 1) / DIGIT_BITS + words;
    int[] passWord = new int[maxPasses];
    int[] passShift = new int[maxPasses];
    int passes = 0;
    for (int w = words - 1; w >= 0; w--) {
      int usedInWord = Math.min(64, used - 64 * w);
      for (int s = 64 - usedInWord; s < 64; s += DIGIT_BITS) {
        passWord[passes] = w;
        passShift[passes] = s;
        passes++;
      }
    }
    int[][] hist = new int[passes][BUCKETS];
    long[] src = keys;
    for (int i = 0; i < n; i++) {
      int off = i * words;
      for (int p = 0; p < passes; p++) {
        hist[p][(int) ((src[off + passWord[p]] >>> passShift[p]) & (BUCKETS - 1))]++;
      }
    }
    long[] dst = scratch;
    int[] pos = new int[BUCKETS];
    for (int p = 0; p < passes; p++) {
      int[] h = hist[p];
      boolean trivial = false;
      for (int b = 0; b < BUCKETS; b++) {
        if (h[b] == n) {
          trivial = true;
          break;
        }
        if (h[b] != 0) break;
      }
      if (trivial) continue;
      int sum = 0;
      for (int b = 0; b < BUCKETS; b++) {
        pos[b] = sum;
        sum += h[b];
      }
      int word = passWord[p];
      int shift = passShift[p];
      if (words == 1) {
        for (int i = 0; i < n; i++) {
          long v = src[i];
          dst[pos[(int) ((v >>> shift) & (BUCKETS - 1))]++] = v;
        }
      } else if (words == 2) {
        for (int i = 0; i < n; i++) {
          long v0 = src[2 * i];
          long v1 = src[2 * i + 1];
          int d = (int) (((word == 0 ? v0 : v1) >>> shift) & (BUCKETS - 1));
          int at = 2 * pos[d]++;
          dst[at] = v0;
          dst[at + 1] = v1;
        }
      } else {
        for (int i = 0; i < n; i++) {
          int off = i * words;
          int at = words * pos[(int) ((src[off + word] >>> shift) & (BUCKETS - 1))]++;
          System.arraycopy(src, off, dst, at, words);
        }
      }
      long[] t = src;
      src = dst;
      dst = t;
    }
    keys = src;
    scratch = dst;
  }
}
