package saturn.ingest.internal;

/**
 * Assigns documents to train or validation by (seed, document number) alone: the same corpus in the same order and
 * the same seed always give the same split, independent of threads or timing.
 */
public record DocumentSplit(double valFraction, long seed) {

  public boolean isVal(long docIndex) {
    if (valFraction <= 0) return false;
    long h = mix(seed ^ mix(docIndex + 0x9E3779B97F4A7C15L));
    return (h >>> 11) * 0x1.0p-53 < valFraction;
  }

  /** SplitMix64's finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
