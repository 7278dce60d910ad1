package saturn.runs.options;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import saturn.ngram.ContextMatrixSpec;
import saturn.ngram.NgramSpec;
import saturn.stage.Inputs;

/**
 * The settings of {@code saturn ngram}: what to count (and so what the count artifact holds) and which contexts become
 * rows of W. In a run spec they are the keys of the {@code ngram:} section.
 */
public final class NgramOptions {
  @Option(names = "--order", description = "N-gram order, 2..8 (default: ${DEFAULT-VALUE}; with --merge-into: the existing order).")
  Integer order;

  @Option(names = "--splits", split = ",", paramLabel = "train|val", description = "Splits to count (default: ${DEFAULT-VALUE}).")
  List<String> splits;

  @Option(names = "--min-count", paramLabel = "N", description = "Keep contexts seen at least N times as rows of W (default: ${DEFAULT-VALUE}).")
  Long minCount;

  @Option(names = "--top-contexts", paramLabel = "M", description = "Keep only the M most frequent contexts (default: ${DEFAULT-VALUE}, all).")
  Long topContexts;

  @Option(names = "--sample-contexts", paramLabel = "M", description = "Keep a uniform sample of M contexts, drawn with --seed (default: ${DEFAULT-VALUE}, all).")
  Long sampleContexts;

  @Option(names = "--seed", description = "Seed of --sample-contexts (default: ${DEFAULT-VALUE}).")
  Long seed;

  public Integer order() {
    return order;
  }

  /** The count spec for these token artifacts (merged into {@code mergeInto} when not null). */
  public NgramSpec countSpec(List<String> tokens, String mergeInto, Integer orderOfBase) {
    NgramSpec.Builder b = NgramSpec.builder().setTokens(tokens).optMergeInto(mergeInto);
    if (order != null) b.optOrder(order);
    else if (orderOfBase != null) b.optOrder(orderOfBase);
    if (splits != null) b.optSplits(splits);
    return b.build();
  }

  /** The W spec for a count artifact. */
  public ContextMatrixSpec matrixSpec(String counts) {
    ContextMatrixSpec.Builder b = ContextMatrixSpec.builder().setCounts(counts);
    if (minCount != null) b.optMinCount(minCount);
    if (topContexts != null) b.optTopContexts(topContexts);
    if (sampleContexts != null) b.optSampleContexts(sampleContexts);
    if (seed != null) b.optSeed(seed);
    return b.build();
  }

  /** Defaults for --help, from the count and W specs' builders. */
  public static final class Defaults extends SpecDefaults {
    public Defaults() {
      super(new Both(NgramSpec.builder().setTokens(Inputs.inMemory("tokens")).build(),
          ContextMatrixSpec.builder().setCounts(Inputs.inMemory("ngram-counts")).build()), Map.of());
    }
  }

  /** Both specs, so that one provider sees the defaults of each. */
  record Both(NgramSpec count, ContextMatrixSpec matrix) {}
}
