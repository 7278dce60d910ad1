package saturn.eval;

import java.util.List;
import saturn.eval.law.Bootstrap;
import saturn.eval.law.ChinchillaFitter;

/**
 * Configuration of {@code saturn eval fit}; written in full into the fit artifact's manifest.
 *
 * @param params which parameter count is N
 * @param huberDelta δ of the Huber loss on log loss (methods.md §4: 1e-3)
 * @param lbfgsMemory L-BFGS correction pairs
 * @param maxIterations L-BFGS iterations per start
 * @param bootstrapResamples resamples for the confidence intervals (0: none)
 * @param confidence two-sided interval level
 * @param bootstrapStarts grid starts per bootstrap refit (besides the full-data optimum)
 * @param bootstrapFullGrid refit every resample from all 4,500 starts
 * @param seed bootstrap seed
 * @param kaplanPoint which loss of each model size enters Kaplan's L(N): best, final or all checkpoints
 * @param referenceModels models whose checkpoints fit the law the verdicts extrapolate (empty: the larger half of the sizes)
 * @param minTokensFraction reference checkpoints enter the law only once they have seen this fraction of their model's final tokens [unverified choice]
 * @param riseTolerance relative rise of the smoothed loss above its minimum that counts as "rose late"
 * @param smoothingWindow checkpoints in the centred moving average used to find where the loss started to rise
 */
public record FitConfig(ParamsKind params, double huberDelta, int lbfgsMemory, int maxIterations, int bootstrapResamples,
    double confidence, int bootstrapStarts, boolean bootstrapFullGrid, long seed, String kaplanPoint,
    List<String> referenceModels, double minTokensFraction, double riseTolerance, int smoothingWindow) {

  public static final FitConfig DEFAULT = builder().build();

  public FitConfig {
    referenceModels = List.copyOf(referenceModels);
    if (!List.of("best", "final", "all").contains(kaplanPoint)) {
      throw new IllegalArgumentException("--kaplan-point must be best, final or all, got '" + kaplanPoint + "'");
    }
    if (!(minTokensFraction >= 0 && minTokensFraction <= 1)) throw new IllegalArgumentException("--min-tokens-fraction must be in [0, 1]");
    if (riseTolerance < 0) throw new IllegalArgumentException("--rise-tolerance must be >= 0");
    if (smoothingWindow < 1 || smoothingWindow % 2 == 0) throw new IllegalArgumentException("--smoothing must be an odd number >= 1, got " + smoothingWindow);
    new ChinchillaFitter.Options(huberDelta, lbfgsMemory, 1e-9, maxIterations); // validates
    new Bootstrap.Options(bootstrapResamples, confidence, seed, bootstrapStarts, bootstrapFullGrid); // validates
  }

  public ChinchillaFitter.Options fitterOptions() {
    return new ChinchillaFitter.Options(huberDelta, lbfgsMemory, ChinchillaFitter.Options.DEFAULT.gradientTolerance(), maxIterations);
  }

  public Bootstrap.Options bootstrapOptions() {
    return new Bootstrap.Options(bootstrapResamples, confidence, seed, bootstrapStarts, bootstrapFullGrid);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder: every setting optional, defaults written once here. */
  public static final class Builder {
    private ParamsKind params = ParamsKind.TOTAL;
    private double huberDelta = 1e-3;
    private int lbfgsMemory = 10;
    private int maxIterations = 1000;
    private int bootstrapResamples = 200;
    private double confidence = 0.95;
    private int bootstrapStarts = 16;
    private boolean bootstrapFullGrid;
    private long seed = 1234;
    private String kaplanPoint = "best";
    private List<String> referenceModels = List.of();
    private double minTokensFraction = 0.1;
    private double riseTolerance = 0.005;
    private int smoothingWindow = 3;

    public Builder optParams(ParamsKind v) { params = v; return this; }
    public Builder optHuberDelta(double v) { huberDelta = v; return this; }
    public Builder optLbfgsMemory(int v) { lbfgsMemory = v; return this; }
    public Builder optMaxIterations(int v) { maxIterations = v; return this; }
    public Builder optBootstrapResamples(int v) { bootstrapResamples = v; return this; }
    public Builder optConfidence(double v) { confidence = v; return this; }
    public Builder optBootstrapStarts(int v) { bootstrapStarts = v; return this; }
    public Builder optBootstrapFullGrid(boolean v) { bootstrapFullGrid = v; return this; }
    public Builder optSeed(long v) { seed = v; return this; }
    public Builder optKaplanPoint(String v) { kaplanPoint = v; return this; }
    public Builder optReferenceModels(List<String> v) { referenceModels = v; return this; }
    public Builder optMinTokensFraction(double v) { minTokensFraction = v; return this; }
    public Builder optRiseTolerance(double v) { riseTolerance = v; return this; }
    public Builder optSmoothingWindow(int v) { smoothingWindow = v; return this; }

    public FitConfig build() {
      return new FitConfig(params, huberDelta, lbfgsMemory, maxIterations, bootstrapResamples, confidence, bootstrapStarts,
          bootstrapFullGrid, seed, kaplanPoint, referenceModels, minTokensFraction, riseTolerance, smoothingWindow);
    }
  }
}
