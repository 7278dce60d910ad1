package saturn.ngram;

/**
 * Which contexts become rows of W (methods.md §1.1): contexts seen at least {@code minCount} times; then optionally
 * only the {@code topContexts} most frequent (ties: earlier in token order), or a uniform sample of
 * {@code sampleContexts} drawn with {@code seed}. 0 means "no such filter".
 */
public record ContextMatrixConfig(long minCount, long topContexts, long sampleContexts, long seed) {
  public static final long DEFAULT_MIN_COUNT = 2;

  public ContextMatrixConfig {
    if (minCount < 1) throw new IllegalArgumentException("--min-count must be >= 1: " + minCount);
    if (topContexts < 0 || sampleContexts < 0) throw new IllegalArgumentException("--top-contexts and --sample-contexts must be >= 0");
    if (topContexts > 0 && sampleContexts > 0) {
      throw new IllegalArgumentException("--top-contexts and --sample-contexts exclude each other; pass one");
    }
  }

  public static ContextMatrixConfig defaults() {
    return new ContextMatrixConfig(DEFAULT_MIN_COUNT, 0, 0, 0);
  }
}
