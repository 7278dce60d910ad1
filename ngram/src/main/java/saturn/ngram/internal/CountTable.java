package saturn.ngram.internal;

import java.util.Arrays;

/**
 * Counts packed n-gram keys in an open-addressing hash table (linear probing) whose memory grows with the distinct
 * keys seen, up to a fixed capacity; when that is reached the caller sorts the table ({@link #sort()}), spills it and
 * {@link #clear()}s it. An entry is the key's words and its count (0 = empty slot), interleaved in one
 * {@code long[]}, so a probe reads one cache line. When the key leaves at least 32 bits of its last word unused (a
 * GPT-2 5-gram uses 80 of 128 bits) the count lives in those bits and an entry is the key's words alone: 16 bytes
 * instead of 24 for a 5-gram.
 *
 * <p>Why a hash table: memory is proportional to the distinct n-grams, not to the occurrences (repetitive text
 * needs a fraction of what buffering every window costs), and the sort that follows only sees distinct keys.
 */
public final class CountTable {
  /** Grow (or report full) above this load. */
  static final double MAX_LOAD = 0.7;
  /** Bytes of sort scratch per table byte at {@link #MAX_LOAD}: the table's budget covers both. */
  public static final double SORT_OVERHEAD = 1 + MAX_LOAD;
  static final int MIN_CAPACITY = 64;
  private static final long C = 0x9E3779B97F4A7C15L;

  private final int words;
  private final int stride;
  /** Whether the count sits in the low bits of the key's last word; then {@link #countMask} selects them. */
  private final boolean inline;
  private final long countMask;
  private final int countAt; // offset of the word holding the count within an entry
  private final int maxCapacity;
  private final EntrySort sorter;
  private long[] slots;
  private long[] scratch;
  private int capacity;
  private int size;
  private int growAt;
  private boolean sorted;

  /**
   * @param initialCapacity slots to start with (grows by doubling)
   * @param maxCapacity slots at most; above {@link #MAX_LOAD} of it, {@link #add} reports the table full
   */
  public CountTable(KeyCodec codec, int initialCapacity, int maxCapacity) {
    this.words = codec.words();
    int spare = 64 * words - codec.usedBits();
    this.inline = spare >= 32;
    this.countMask = inline ? (spare >= 62 ? (1L << 62) - 1 : (1L << spare) - 1) : -1L;
    this.stride = strideFor(codec);
    this.countAt = inline ? words - 1 : words;
    this.maxCapacity = Math.max(MIN_CAPACITY, Math.min(maxCapacity, (Integer.MAX_VALUE - 8) / stride));
    this.sorter = new EntrySort(codec, stride);
    allocate(Math.max(MIN_CAPACITY, Math.min(initialCapacity, this.maxCapacity)));
  }

  private static int strideFor(KeyCodec codec) {
    return 64 * codec.words() - codec.usedBits() >= 32 ? codec.words() : codec.words() + 1;
  }

  /** Slots of a table whose entries and sort scratch together fit in {@code bytes}. */
  public static int capacityFor(KeyCodec codec, long bytes) {
    long perSlot = (long) Math.ceil(strideFor(codec) * 8L * SORT_OVERHEAD);
    return (int) Math.max(MIN_CAPACITY, Math.min(Integer.MAX_VALUE / 2, bytes / perSlot));
  }

  private void allocate(int cap) {
    capacity = cap;
    slots = new long[cap * stride];
    growAt = (int) Math.max(1, cap * MAX_LOAD);
    size = 0;
  }

  public int size() {
    return size;
  }

  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }

  private int home(long hash) {
    return (int) (((hash >>> 32) * capacity) >>> 32); // uniform in [0, capacity) for any capacity
  }

  private long countOf(long[] t, int at) {
    return inline ? t[at + countAt] & countMask : t[at + countAt];
  }

  private static IllegalStateException tooMany() {
    return new IllegalStateException("an n-gram occurs more than 2^31-1 times, more than the store's limit per n-gram");
  }

  /** Adds one occurrence of a one-word key; false (nothing added) when the table is full. */
  public boolean add1(long k0) {
    long[] t = slots;
    int i = home(mix(k0 * C));
    int s = stride;
    long mask = inline ? ~countMask : -1L;
    while (true) {
      int at = s * i;
      long w0 = t[at];
      long c = inline ? w0 & countMask : t[at + 1];
      if (c == 0) {
        if (size >= growAt) return growOrFull() && add1(k0);
        if (inline) {
          t[at] = k0 | 1;
        } else {
          t[at] = k0;
          t[at + 1] = 1;
        }
        size++;
        return true;
      }
      if ((w0 & mask) == k0) {
        if (inline) {
          if (c == countMask) throw tooMany();
          t[at] = w0 + 1;
        } else {
          t[at + 1] = c + 1;
        }
        return true;
      }
      if (++i == capacity) i = 0;
    }
  }

  /** Adds one occurrence of a two-word key; false (nothing added) when the table is full. */
  public boolean add2(long k0, long k1) {
    long[] t = slots;
    int i = home(mix(k0 * C ^ k1));
    if (inline) {
      long keyMask = ~countMask;
      while (true) {
        int at = 2 * i;
        long w1 = t[at + 1];
        long c = w1 & countMask;
        if (c == 0) {
          if (size >= growAt) return growOrFull() && add2(k0, k1);
          t[at] = k0;
          t[at + 1] = k1 | 1;
          size++;
          return true;
        }
        if (t[at] == k0 && (w1 & keyMask) == k1) {
          if (c == countMask) throw tooMany();
          t[at + 1] = w1 + 1;
          return true;
        }
        if (++i == capacity) i = 0;
      }
    }
    while (true) {
      int at = 3 * i;
      long c = t[at + 2];
      if (c == 0) {
        if (size >= growAt) return growOrFull() && add2(k0, k1);
        t[at] = k0;
        t[at + 1] = k1;
        t[at + 2] = 1;
        size++;
        return true;
      }
      if (t[at] == k0 && t[at + 1] == k1) {
        t[at + 2] = c + 1;
        return true;
      }
      if (++i == capacity) i = 0;
    }
  }

  /** Adds {@code count} occurrences of the key at {@code key[off ..]} (any width); false when the table is full. */
  public boolean add(long[] key, int off, long count) {
    long[] t = slots;
    int i = home(hashAt(key, off));
    while (true) {
      int at = stride * i;
      long c = countOf(t, at);
      if (c == 0) {
        if (size >= growAt) return growOrFull() && add(key, off, count);
        if (inline && count > countMask) throw tooMany();
        System.arraycopy(key, off, t, at, words);
        if (inline) t[at + countAt] |= count;
        else t[at + countAt] = count;
        size++;
        return true;
      }
      if (keyEquals(t, at, key, off)) {
        if (inline) {
          if (count > countMask - c) throw tooMany();
          t[at + countAt] += count;
        } else {
          t[at + countAt] = c + count;
        }
        return true;
      }
      if (++i == capacity) i = 0;
    }
  }

  private boolean keyEquals(long[] t, int at, long[] key, int off) {
    int last = words - 1;
    for (int w = 0; w < last; w++) if (t[at + w] != key[off + w]) return false;
    long lw = t[at + last];
    return (inline ? lw & ~countMask : lw) == key[off + last];
  }

  /** The hash {@link #add1} and {@link #add2} compute inline, for a key of any width (count bits left out). */
  private long hashAt(long[] key, int off) {
    long last = inline ? key[off + words - 1] & ~countMask : key[off + words - 1];
    if (words == 1) return mix(last * C);
    long h = key[off] * C;
    for (int w = 1; w < words; w++) {
      if (w > 1) h *= C;
      h ^= w == words - 1 ? last : key[off + w];
    }
    return mix(h);
  }

  /** Doubles the table (up to its maximum) and rehashes; false when it is already at its maximum. */
  private boolean growOrFull() {
    if (sorted) throw new IllegalStateException("table is sorted; clear it first");
    if (capacity >= maxCapacity) return false;
    long[] old = slots;
    int oldCap = capacity;
    int n = size;
    allocate((int) Math.min(maxCapacity, 2L * oldCap));
    long[] t = slots;
    for (int j = 0; j < oldCap; j++) {
      int from = j * stride;
      if (countOf(old, from) == 0) continue;
      int i = home(hashAt(old, from)); // keys are distinct: the first empty slot is theirs
      while (countOf(t, i * stride) != 0) {
        if (++i == capacity) i = 0;
      }
      System.arraycopy(old, from, t, i * stride, stride);
    }
    size = n;
    return true;
  }

  /**
   * Moves the entries to the front and sorts them by key; then {@link #sortedCounts()} streams them. Adding is
   * refused until {@link #clear()}. The sort's scratch is the table's free tail when it is large enough.
   */
  public void sort() {
    long[] t = slots;
    int j = 0;
    for (int i = 0; i < capacity; i++) {
      int at = i * stride;
      if (countOf(t, at) == 0) continue;
      if (i != j) System.arraycopy(t, at, t, j * stride, stride);
      j++;
    }
    int used = size * stride;
    if (t.length - used >= used) {
      sorter.sort(t, t, used, size);
      Arrays.fill(t, used, Math.min(t.length, 2 * used), 0); // the tail must read as empty slots again
    } else {
      if (scratch == null || scratch.length < used) scratch = new long[used];
      sorter.sort(t, scratch, 0, size);
    }
    sorted = true;
  }

  /** Empties the table, keeping its capacity (a full table fills again at the same size). */
  public void clear() {
    Arrays.fill(slots, 0);
    size = 0;
    sorted = false;
  }

  /** Drops the sort scratch (once no more spills will come). */
  public void releaseScratch() {
    scratch = null;
  }

  /** Bytes held (table and sort scratch). */
  public long bytes() {
    return 8L * (slots.length + (scratch == null ? 0 : scratch.length));
  }

  /** The sorted entries as a stream of keys and counts (after {@link #sort()}; valid until {@link #clear()}). */
  public SortedCounts sortedCounts() {
    if (!sorted) throw new IllegalStateException("sort() first");
    final long[] t = slots;
    final int n = size;
    final long[] key = new long[words];
    final long keyMask = ~countMask;
    return new SortedCounts() {
      int i = -1;
      int at;

      @Override
      public boolean next() {
        if (++i >= n) return false;
        at = i * stride;
        if (inline) { // a clean key for the consumer: the count bits cleared
          System.arraycopy(t, at, key, 0, words);
          key[words - 1] &= keyMask;
        }
        return true;
      }

      @Override
      public long[] key() {
        return inline ? key : t;
      }

      @Override
      public int keyOffset() {
        return inline ? 0 : at;
      }

      @Override
      public long count() {
        return countOf(t, at);
      }
    };
  }
}
