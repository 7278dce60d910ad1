package saturn.ngram;

import saturn.stage.Inputs;
import saturn.stage.StageSpec;

/**
 * What W is built from and which contexts become its rows: contexts of the count artifact seen at least
 * {@code minCount} times; then optionally only the {@code topContexts} most frequent (ties: earlier in token order),
 * or a uniform sample of {@code sampleContexts} drawn with {@code seed}. 0 means "no such filter".
 *
 * @param counts the count artifact, by full id
 */
public record ContextMatrixSpec(String counts, long minCount, long topContexts, long sampleContexts, long seed)
    implements StageSpec {
  public static final long DEFAULT_MIN_COUNT = 2;

  public ContextMatrixSpec {
    Inputs.checkId(counts, "--counts");
    if (minCount < 1) throw new IllegalArgumentException("--min-count must be >= 1: " + minCount);
    if (topContexts < 0 || sampleContexts < 0) throw new IllegalArgumentException("--top-contexts and --sample-contexts must be >= 0");
    if (topContexts > 0 && sampleContexts > 0) {
      throw new IllegalArgumentException("--top-contexts and --sample-contexts exclude each other; pass one");
    }
  }

  @Override
  public java.util.List<String> inputIds() {
    return java.util.List.of(counts);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder: {@code setCounts} is required, the filters optional (none by default but {@code minCount} 2). */
  public static final class Builder {
    private String counts;
    private long minCount = DEFAULT_MIN_COUNT;
    private long topContexts;
    private long sampleContexts;
    private long seed;

    public Builder setCounts(String v) { counts = v; return this; }
    public Builder optMinCount(long v) { minCount = v; return this; }
    public Builder optTopContexts(long v) { topContexts = v; return this; }
    public Builder optSampleContexts(long v) { sampleContexts = v; return this; }
    public Builder optSeed(long v) { seed = v; return this; }

    public ContextMatrixSpec build() {
      return new ContextMatrixSpec(counts, minCount, topContexts, sampleContexts, seed);
    }
  }
}
