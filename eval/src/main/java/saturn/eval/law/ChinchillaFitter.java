package saturn.eval.law;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import smile.math.BFGS;
import smile.math.DifferentiableMultivariateFunction;

/**
 * Fits {@link ChinchillaLaw} exactly as Hoffmann et al. 2022 approach 3 (methods.md §4): minimise the <b>sum</b> over
 * points of Huber_δ(LSE(a − α log N, b − β log D, e) − log L) with L-BFGS, started from every point of the grid
 * α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25} (4,500 starts), and keep the lowest objective.
 * Summing rather than averaging matters: with a mean the objective is so small that the optimiser stops at once
 * (Besiroglu et al. 2024). L-BFGS is Smile's; only the objective and its gradient are written here.
 */
public final class ChinchillaFitter {
  /** Start values of each coordinate of θ = {a, b, e, α, β} (methods.md §4). */
  public static final double[] GRID_A = {0, 5, 10, 15, 20, 25};
  public static final double[] GRID_B = GRID_A;
  public static final double[] GRID_E = {-1, -0.5, 0, 0.5, 1};
  public static final double[] GRID_ALPHA = {0, 0.5, 1, 1.5, 2};
  public static final double[] GRID_BETA = GRID_ALPHA;

  /**
   * @param huberDelta δ of the Huber loss on log loss (1e-3 in the paper)
   * @param lbfgsMemory number of correction pairs L-BFGS keeps (scipy's default 10)
   * @param gradientTolerance Smile's relative gradient tolerance
   * @param maxIterations L-BFGS iterations per start
   */
  public record Options(double huberDelta, int lbfgsMemory, double gradientTolerance, int maxIterations) {
    public static final Options DEFAULT = new Options(1e-3, 10, 1e-9, 1000);

    public Options {
      if (!(huberDelta > 0)) throw new IllegalArgumentException("Huber delta must be > 0, got " + huberDelta);
      if (lbfgsMemory < 1) throw new IllegalArgumentException("L-BFGS memory must be >= 1, got " + lbfgsMemory);
      if (maxIterations < 1) throw new IllegalArgumentException("max iterations must be >= 1, got " + maxIterations);
    }
  }

  /**
   * A fit.
   *
   * @param law the fitted law
   * @param objective summed Huber loss at the optimum
   * @param start the grid start (log-space θ) that led to it
   * @param starts how many starts were run
   * @param failedStarts starts whose line search gave up or produced a non-finite value (skipped)
   * @param points number of points fitted
   */
  public record Fit(ChinchillaLaw law, double objective, double[] start, int starts, int failedStarts, int points) {}

  private final Options options;

  public ChinchillaFitter(Options options) {
    this.options = options;
  }

  public ChinchillaFitter() {
    this(Options.DEFAULT);
  }

  /** The 4,500 grid starts, each a log-space θ = {a, b, e, α, β}. */
  public static List<double[]> grid() {
    List<double[]> out = new ArrayList<>(4500);
    for (double a : GRID_A) for (double b : GRID_B) for (double e : GRID_E)
      for (double al : GRID_ALPHA) for (double be : GRID_BETA) out.add(new double[] {a, b, e, al, be});
    return out;
  }

  /** Fits from the full grid. Refuses fewer points than the law's 5 parameters. */
  public Fit fit(List<ScalingPoint> points) {
    return fit(points, grid());
  }

  /**
   * Fits from the given starts (each a log-space θ); the best end point wins, ties going to the earlier start, so the
   * result does not depend on how the starts were spread over threads.
   */
  public Fit fit(List<ScalingPoint> points, List<double[]> starts) {
    Objective f = objective(points);
    // Starts are independent: run them on all cores (the common pool); each keeps its own state.
    double[][] ends = new double[starts.size()][];
    double[] values = new double[starts.size()];
    java.util.stream.IntStream.range(0, starts.size()).parallel().forEach(i -> {
      double[] x = starts.get(i).clone();
      double v;
      try {
        BFGS.minimize(f, options.lbfgsMemory(), x, options.gradientTolerance(), options.maxIterations());
        v = f.f(x);
      } catch (RuntimeException lineSearchGaveUp) {
        v = Double.NaN;
      }
      values[i] = Double.isFinite(v) && allFinite(x) ? v : Double.NaN;
      ends[i] = x;
    });
    int best = -1, failed = 0;
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        failed++;
      } else if (best < 0 || values[i] < values[best]) {
        best = i;
      }
    }
    if (best < 0) {
      throw new IllegalStateException("Chinchilla fit: every one of " + starts.size() + " L-BFGS starts failed; check the"
          + " (N, D, loss) values for outliers or units (N and D are raw counts, loss in nats)");
    }
    return new Fit(ChinchillaLaw.fromLog(ends[best]), values[best], starts.get(best).clone(), starts.size(), failed, points.size());
  }

  /** The objective for these points (validated: at least 5 points, every D > 0). */
  public Objective objective(List<ScalingPoint> points) {
    if (points.size() < ChinchillaLaw.PARAMETERS) {
      throw new IllegalArgumentException("a Chinchilla L(N, D) fit has " + ChinchillaLaw.PARAMETERS + " parameters but only "
          + points.size() + " point(s) were given; add checkpoints or model sizes, or fit Kaplan's L(N) (2 parameters)");
    }
    for (ScalingPoint p : points) {
      if (!(p.tokens() > 0)) {
        throw new IllegalArgumentException(p.label() + ": D = " + p.tokens() + " tokens; L(N, D) needs D > 0 (drop step-0 checkpoints)");
      }
    }
    return new Objective(points, options.huberDelta());
  }

  /** Starts ranked by their objective value on {@code points}, best first (used to seed bootstrap refits cheaply). */
  public List<double[]> rankedStarts(List<ScalingPoint> points, int keep) {
    Objective f = objective(points);
    List<double[]> g = grid();
    double[] val = new double[g.size()];
    Integer[] idx = new Integer[g.size()];
    for (int i = 0; i < g.size(); i++) {
      val[i] = f.f(g.get(i));
      idx[i] = i;
    }
    Arrays.sort(idx, Comparator.comparingDouble(i -> val[i]));
    List<double[]> out = new ArrayList<>(keep);
    for (int i = 0; i < Math.min(keep, idx.length); i++) out.add(g.get(idx[i]));
    return out;
  }

  private static boolean allFinite(double[] x) {
    for (double v : x) if (!Double.isFinite(v)) return false;
    return true;
  }

  /** Σ_i Huber_δ(LSE(a − α log N_i, b − β log D_i, e) − log L_i) and its analytic gradient in θ = {a, b, e, α, β}. */
  public static final class Objective implements DifferentiableMultivariateFunction {
    private static final long serialVersionUID = 1L;
    private final double[] logN;
    private final double[] logD;
    private final double[] logL;
    private final double delta;

    Objective(List<ScalingPoint> points, double delta) {
      int n = points.size();
      logN = new double[n];
      logD = new double[n];
      logL = new double[n];
      for (int i = 0; i < n; i++) {
        logN[i] = Math.log(points.get(i).params());
        logD[i] = Math.log(points.get(i).tokens());
        logL[i] = Math.log(points.get(i).loss());
      }
      this.delta = delta;
    }

    @Override
    public double f(double[] t) {
      double sum = 0;
      for (int i = 0; i < logN.length; i++) sum += huber(lse(t[0] - t[3] * logN[i], t[1] - t[4] * logD[i], t[2]) - logL[i]);
      return sum;
    }

    @Override
    public double g(double[] t, double[] grad) {
      Arrays.fill(grad, 0);
      double sum = 0;
      for (int i = 0; i < logN.length; i++) {
        double u = t[0] - t[3] * logN[i];
        double v = t[1] - t[4] * logD[i];
        double w = t[2];
        double m = Math.max(u, Math.max(v, w));
        double eu = Math.exp(u - m), ev = Math.exp(v - m), ew = Math.exp(w - m);
        double z = eu + ev + ew;
        double r = m + Math.log(z) - logL[i];
        sum += huber(r);
        double h = Math.abs(r) <= delta ? r : Math.copySign(delta, r); // Huber'(r)
        double pu = eu / z, pv = ev / z, pw = ew / z;
        grad[0] += h * pu;
        grad[1] += h * pv;
        grad[2] += h * pw;
        grad[3] -= h * pu * logN[i];
        grad[4] -= h * pv * logD[i];
      }
      return sum;
    }

    private double huber(double r) {
      double a = Math.abs(r);
      return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
    }

    static double lse(double u, double v, double w) {
      double m = Math.max(u, Math.max(v, w));
      return m + Math.log(Math.exp(u - m) + Math.exp(v - m) + Math.exp(w - m));
    }
  }
}
