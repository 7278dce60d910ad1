package saturn.ngram.internal;

/**
 * Which store partition a context belongs to (store format {@code saturn-ngram-counts} v2, see
 * {@code NgramStoreFormat.partitionOf}): a 64-bit multiplicative hash of the context's term bytes (order−1 tokens,
 * big-endian), high bits folded in, unsigned remainder by P. Computed here both from term bytes (readers) and straight
 * from a packed key (the counting threads, once per n-gram window), with the same result.
 */
public final class Partitioning {
  private static final long SEED = 0x9E3779B97F4A7C15L;
  private static final long MUL = 0xBF58476D1CE4E5B9L;

  private Partitioning() {}

  /** The partition of the context whose term bytes are {@code term[off .. off+contextBytes)}. */
  public static int ofTerm(byte[] term, int off, int contextBytes, int partitions) {
    if (partitions == 1) return 0;
    long h = SEED;
    for (int i = 0; i < contextBytes; i++) h = (h ^ (term[off + i] & 0xFF)) * MUL;
    return finish(h, partitions);
  }

  /**
   * The partition of the context of the packed key at {@code key[off ..]} (its first {@code contextBytes} bytes, which
   * are the context's term bytes, see {@link KeyCodec#toTerm}); equal to {@link #ofTerm} of those bytes.
   */
  public static int ofKey(long[] key, int off, int contextBytes, int partitions) {
    if (partitions == 1) return 0;
    long h = SEED;
    int i = 0;
    for (int w = off; i < contextBytes; w++) {
      long word = key[w];
      int end = Math.min(contextBytes, i + 8);
      for (int shift = 56; i < end; i++, shift -= 8) h = (h ^ ((word >>> shift) & 0xFF)) * MUL;
    }
    return finish(h, partitions);
  }

  /** {@link #ofKey} of a key of at most two words, given as words (the counting loop keeps them in locals). */
  public static int ofWords(long w0, long w1, int contextBytes, int partitions) {
    if (partitions == 1) return 0;
    long h = SEED;
    int first = Math.min(8, contextBytes);
    for (int i = 0, shift = 56; i < first; i++, shift -= 8) h = (h ^ ((w0 >>> shift) & 0xFF)) * MUL;
    for (int i = 8, shift = 56; i < contextBytes; i++, shift -= 8) h = (h ^ ((w1 >>> shift) & 0xFF)) * MUL;
    return finish(h, partitions);
  }

  private static int finish(long h, int partitions) {
    h ^= h >>> 31;
    return (int) Long.remainderUnsigned(h, partitions);
  }
}
