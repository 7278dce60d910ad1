package saturn.eval.law;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Nonparametric bootstrap of the scaling-law fits: resample the points with replacement, refit, and report percentile
 * intervals of every parameter. Refitting from all 4,500 grid starts per resample costs ~4,500× one L-BFGS run, so by
 * default a resample starts from the full-data optimum plus the {@code startsPerResample} grid points with the lowest
 * objective on that resample; {@code fullGrid} restores the complete grid.
 */
public final class Bootstrap {
  private Bootstrap() {}

  /**
   * @param resamples number of bootstrap resamples (0 = no intervals)
   * @param confidence two-sided level, e.g. 0.95
   * @param seed seed of the resampling
   * @param startsPerResample grid starts per refit (besides the full-data optimum) unless {@code fullGrid}
   * @param fullGrid refit each resample from all 4,500 grid starts
   */
  public record Options(int resamples, double confidence, long seed, int startsPerResample, boolean fullGrid) {
    public static final Options DEFAULT = new Options(200, 0.95, 1234, 16, false);

    public Options {
      if (resamples < 0) throw new IllegalArgumentException("bootstrap resamples must be >= 0, got " + resamples);
      if (!(confidence > 0 && confidence < 1)) throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
      if (startsPerResample < 0) throw new IllegalArgumentException("starts per resample must be >= 0");
    }
  }

  /** A percentile interval. */
  public record Interval(double low, double high) {}

  /** Intervals of the Chinchilla parameters, in the order E, A, B, α, β, and how many refits failed. */
  public record ChinchillaIntervals(Interval e, Interval a, Interval b, Interval alpha, Interval beta, int resamples, int failed) {}

  /** Intervals of Kaplan's scale and exponent. */
  public record KaplanIntervals(Interval scale, Interval exponent, int resamples, int failed) {}

  public static ChinchillaIntervals chinchilla(List<ScalingPoint> points, ChinchillaFitter fitter, ChinchillaFitter.Fit full, Options o) {
    SplittableRandom rnd = new SplittableRandom(o.seed());
    double[][] v = new double[5][o.resamples()];
    int ok = 0, failed = 0;
    for (int r = 0; r < o.resamples(); r++) {
      List<ScalingPoint> sample = resample(points, rnd);
      try {
        List<double[]> starts = new ArrayList<>();
        if (o.fullGrid()) {
          starts.addAll(ChinchillaFitter.grid());
        } else {
          starts.add(full.law().toLog());
          starts.addAll(fitter.rankedStarts(sample, o.startsPerResample()));
        }
        ChinchillaLaw l = fitter.fit(sample, starts).law();
        v[0][ok] = l.e();
        v[1][ok] = l.a();
        v[2][ok] = l.b();
        v[3][ok] = l.alpha();
        v[4][ok] = l.beta();
        ok++;
      } catch (RuntimeException e) {
        failed++;
      }
    }
    return new ChinchillaIntervals(interval(v[0], ok, o.confidence()), interval(v[1], ok, o.confidence()),
        interval(v[2], ok, o.confidence()), interval(v[3], ok, o.confidence()), interval(v[4], ok, o.confidence()), ok, failed);
  }

  public static KaplanIntervals kaplan(List<ScalingPoint> points, Options o) {
    SplittableRandom rnd = new SplittableRandom(o.seed());
    double[][] v = new double[2][o.resamples()];
    int ok = 0, failed = 0;
    for (int r = 0; r < o.resamples(); r++) {
      try {
        KaplanLaw l = KaplanFitter.fitParams(resample(points, rnd)).law();
        if (!Double.isFinite(l.scale())) throw new IllegalArgumentException("flat resample");
        v[0][ok] = l.scale();
        v[1][ok] = l.exponent();
        ok++;
      } catch (RuntimeException e) {
        failed++; // e.g. every resampled point has the same N
      }
    }
    return new KaplanIntervals(interval(v[0], ok, o.confidence()), interval(v[1], ok, o.confidence()), ok, failed);
  }

  static List<ScalingPoint> resample(List<ScalingPoint> points, SplittableRandom rnd) {
    List<ScalingPoint> out = new ArrayList<>(points.size());
    for (int i = 0; i < points.size(); i++) out.add(points.get(rnd.nextInt(points.size())));
    return out;
  }

  /** Percentile interval (linear interpolation between order statistics, numpy's default). */
  static Interval interval(double[] values, int n, double confidence) {
    if (n == 0) return new Interval(Double.NaN, Double.NaN);
    double[] s = Arrays.copyOf(values, n);
    Arrays.sort(s);
    double tail = (1 - confidence) / 2;
    return new Interval(quantile(s, tail), quantile(s, 1 - tail));
  }

  static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
