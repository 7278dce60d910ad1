package saturn.runs.options;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;
import saturn.eval.FitConfig;
import saturn.eval.ParamsKind;
import saturn.eval.ScalingFitStage;

/** The settings of {@code saturn eval fit}. */
public final class FitOptions {
  @Option(names = "--params", paramLabel = "total|non-embedding", description = "Parameter count used as N (default: ${DEFAULT-VALUE}).")
  String params;

  @Option(names = "--laws", paramLabel = "both|chinchilla|kaplan", description = "Laws to fit (default: both).")
  String laws;

  @Option(names = "--bootstrap", paramLabel = "N", description = "Bootstrap resamples, 0 for none (default: ${DEFAULT-VALUE}).")
  Integer bootstrap;

  @Option(names = "--confidence", description = "Interval level (default: ${DEFAULT-VALUE}).")
  Double confidence;

  @Option(names = "--bootstrap-full-grid", arity = "0..1", description = "Refit every resample from all 4,500 starts (slow) instead of the best 16 plus the full-data optimum.")
  Boolean fullGrid;

  @Option(names = "--seed", description = "Bootstrap seed (default: ${DEFAULT-VALUE}).")
  Long seed;

  @Option(names = "--huber-delta", description = "Huber delta on log loss (default: ${DEFAULT-VALUE}).")
  Double huberDelta;

  @Option(names = "--kaplan-point", paramLabel = "best|final|all", description = "Which checkpoint of each size enters L(N) (default: ${DEFAULT-VALUE}).")
  String kaplanPoint;

  @Option(names = "--reference-models", split = ",", paramLabel = "MODEL",
      description = "Models whose checkpoints fit the law the verdicts extrapolate (default: the larger half of the sizes).")
  List<String> referenceModels;

  @Option(names = "--min-tokens-fraction", description = "Reference checkpoints enter the law once they have seen this fraction of their final tokens (default: ${DEFAULT-VALUE}).")
  Double minTokensFraction;

  @Option(names = "--rise-tolerance", description = "Relative rise above the minimum of the smoothed loss that counts as a late rise (default: ${DEFAULT-VALUE}).")
  Double riseTolerance;

  @Option(names = "--smoothing", description = "Checkpoints in the centred moving average (odd; default: ${DEFAULT-VALUE}).")
  Integer smoothing;

  public FitConfig toConfig() {
    FitConfig.Builder b = FitConfig.builder();
    if (params != null) b.optParams(ParamsKind.parse(params));
    if (bootstrap != null) b.optBootstrapResamples(bootstrap);
    if (confidence != null) b.optConfidence(confidence);
    if (fullGrid != null) b.optBootstrapFullGrid(fullGrid);
    if (seed != null) b.optSeed(seed);
    if (huberDelta != null) b.optHuberDelta(huberDelta);
    if (kaplanPoint != null) b.optKaplanPoint(kaplanPoint);
    if (referenceModels != null) b.optReferenceModels(referenceModels);
    if (minTokensFraction != null) b.optMinTokensFraction(minTokensFraction);
    if (riseTolerance != null) b.optRiseTolerance(riseTolerance);
    if (smoothing != null) b.optSmoothingWindow(smoothing);
    return b.build();
  }

  public ScalingFitStage.Laws laws() {
    if (laws == null) return ScalingFitStage.Laws.BOTH;
    try {
      return ScalingFitStage.Laws.valueOf(laws.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--laws must be both, chinchilla or kaplan, got '" + laws + "'");
    }
  }

  /** Defaults for --help, from {@link FitConfig}'s builder. */
  public static final class Defaults extends SpecDefaults {
    public Defaults() {
      super(FitConfig.DEFAULT, Map.of("bootstrap", "bootstrapResamples", "smoothing", "smoothingWindow",
          "bootstrap-full-grid", "bootstrapFullGrid"));
    }
  }
}
