package saturn.ngram.internal;

/**
 * Sorts entries of {@code stride} longs (a packed key of {@code codec.words()} longs, then payload such as a count)
 * by their key, as unsigned big-endian bit strings: an MSD radix sort over only the bits keys use.
 *
 * <p>Why it is fast: entries stay interleaved in one {@code long[]} (no objects, no pointers); the first pass splits
 * on 16 bits (for text: roughly the first token) so that most buckets then fit in cache for the narrower passes;
 * buckets of at most 32 entries are insertion-sorted with the key in locals, and a pass in which every entry has
 * the same digit is skipped without moving data.
 */
public final class EntrySort {
  private final KeyCodec codec;
  private final int words;
  private final int stride;
  private final int usedBits;

  public EntrySort(KeyCodec codec, int stride) {
    if (stride < codec.words()) throw new IllegalArgumentException("stride " + stride + " < key words " + codec.words());
    this.codec = codec;
    this.words = codec.words();
    this.stride = stride;
    this.usedBits = codec.usedBits();
  }

  /** Sorts entries [0, n) of {@code a}; {@code tmp} holds at least {@code n * stride} longs. */
  public void sort(long[] a, long[] tmp, int n) {
    sort(a, tmp, 0, n);
  }

  /**
   * Sorts entries [0, n) of {@code a} using {@code tmp[tmpOffset .. tmpOffset + n * stride)} as scratch ({@code tmp}
   * may be {@code a} itself when its tail past the entries is free).
   */
  public void sort(long[] a, long[] tmp, int tmpOffset, int n) {
    this.base = tmpOffset;
    if (n > 1) msd(a, tmp, 0, n, 0);
  }

  /** Offset of the scratch region in tmp. */
  private int base;

  private void msd(long[] a, long[] tmp, int lo, int hi, int bit) {
    final int s = stride;
    while (true) {
      int n = hi - lo;
      if (n <= 32) {
        insertionSort(a, lo, hi);
        return;
      }
      if (bit >= usedBits) return; // all remaining bits are equal (cannot happen for distinct keys)
      int width = Math.min(n >= (1 << 16) ? 16 : n >= (1 << 10) ? 11 : 8, usedBits - bit);
      int buckets = 1 << width;
      int[] start = new int[buckets + 1];
      for (int i = lo; i < hi; i++) start[digit(a, i * s, bit, width) + 1]++;
      boolean single = false;
      for (int b = 1; b <= buckets; b++) {
        if (start[b] == n) {
          single = true;
          break;
        }
        if (start[b] != 0) break;
      }
      if (single) { // one bucket holds everything: go to the next digit without moving anything
        bit += width;
        continue;
      }
      for (int b = 1; b <= buckets; b++) start[b] += start[b - 1];
      int[] pos = java.util.Arrays.copyOf(start, buckets);
      final int t0 = base;
      if (s == 3) {
        for (int i = lo; i < hi; i++) {
          int from = 3 * i;
          int at = t0 + 3 * (lo + pos[digit(a, from, bit, width)]++);
          tmp[at] = a[from];
          tmp[at + 1] = a[from + 1];
          tmp[at + 2] = a[from + 2];
        }
      } else if (s == 2) {
        for (int i = lo; i < hi; i++) {
          int from = 2 * i;
          int at = t0 + 2 * (lo + pos[digit(a, from, bit, width)]++);
          tmp[at] = a[from];
          tmp[at + 1] = a[from + 1];
        }
      } else {
        for (int i = lo; i < hi; i++) {
          int at = t0 + s * (lo + pos[digit(a, i * s, bit, width)]++);
          System.arraycopy(a, i * s, tmp, at, s);
        }
      }
      System.arraycopy(tmp, t0 + lo * s, a, lo * s, n * s);
      int next = bit + width;
      for (int b = 0; b < buckets; b++) {
        int from = lo + start[b];
        int to = lo + start[b + 1];
        if (to - from > 1) msd(a, tmp, from, to, next);
      }
      return;
    }
  }

  /** {@code width} (<= 16) bits of the key at {@code off}, starting {@code bit} bits from its most significant end. */
  private static int digit(long[] a, int off, int bit, int width) {
    int wi = bit >>> 6;
    int sh = bit & 63;
    long v = a[off + wi] << sh;
    if (sh + width > 64) v |= a[off + wi + 1] >>> (64 - sh);
    return (int) (v >>> (64 - width));
  }

  private void insertionSort(long[] a, int lo, int hi) {
    if (words == 2 && stride == 3) {
      insertionSort23(a, lo, hi);
      return;
    }
    if (words == 2 && stride == 2) {
      insertionSort22(a, lo, hi);
      return;
    }
    final int s = stride;
    long[] t = new long[s];
    for (int i = lo + 1; i < hi; i++) {
      if (codec.compare(a, (i - 1) * s, a, i * s) <= 0) continue;
      System.arraycopy(a, i * s, t, 0, s);
      int j = i - 1;
      while (j >= lo && codec.compare(a, j * s, t, 0) > 0) {
        System.arraycopy(a, j * s, a, (j + 1) * s, s);
        j--;
      }
      System.arraycopy(t, 0, a, (j + 1) * s, s);
    }
  }

  /** Two-word entries (a key with its count in the spare low bits; keys distinct), the entry in locals. */
  private static void insertionSort22(long[] a, int lo, int hi) {
    for (int i = lo + 1; i < hi; i++) {
      long k0 = a[2 * i];
      long k1 = a[2 * i + 1];
      int j = i - 1;
      while (j >= lo) {
        long j0 = a[2 * j];
        int cmp = Long.compareUnsigned(j0, k0);
        if (cmp < 0 || (cmp == 0 && Long.compareUnsigned(a[2 * j + 1], k1) <= 0)) break;
        a[2 * j + 2] = j0;
        a[2 * j + 3] = a[2 * j + 1];
        j--;
      }
      a[2 * j + 2] = k0;
      a[2 * j + 3] = k1;
    }
  }

  /** Two-word keys with one payload word, the entry in locals: no comparator call, no temporary array. */
  private static void insertionSort23(long[] a, int lo, int hi) {
    for (int i = lo + 1; i < hi; i++) {
      long k0 = a[3 * i];
      long k1 = a[3 * i + 1];
      long c = a[3 * i + 2];
      int j = i - 1;
      while (j >= lo) {
        long j0 = a[3 * j];
        int cmp = Long.compareUnsigned(j0, k0);
        if (cmp < 0 || (cmp == 0 && Long.compareUnsigned(a[3 * j + 1], k1) <= 0)) break;
        a[3 * j + 3] = j0;
        a[3 * j + 4] = a[3 * j + 1];
        a[3 * j + 5] = a[3 * j + 2];
        j--;
      }
      a[3 * j + 3] = k0;
      a[3 * j + 4] = k1;
      a[3 * j + 5] = c;
    }
  }
}
