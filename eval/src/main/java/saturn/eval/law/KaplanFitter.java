package saturn.eval.law;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Fits Kaplan's power law L(x) = (x_c / x)^α by least squares in log-log space, where it is a straight line:
 * log L = α log x_c − α log x. A closed form, so no optimiser is needed.
 */
public final class KaplanFitter {
  private KaplanFitter() {}

  /**
   * @param law the fitted law
   * @param rmseLog root-mean-square residual of log L
   * @param points number of points fitted
   */
  public record Fit(KaplanLaw law, double rmseLog, int points) {}

  /** L(N) on the points' parameter counts. */
  public static Fit fitParams(List<ScalingPoint> points) {
    return fit(points, ScalingPoint::params, "N");
  }

  /** L(D) on the points' token counts. */
  public static Fit fitTokens(List<ScalingPoint> points) {
    return fit(points, ScalingPoint::tokens, "D");
  }

  static Fit fit(List<ScalingPoint> points, ToDoubleFunction<ScalingPoint> x, String what) {
    if (points.size() < KaplanLaw.PARAMETERS) {
      throw new IllegalArgumentException("a Kaplan L(" + what + ") fit has 2 parameters but only " + points.size()
          + " point(s) were given; add model sizes");
    }
    int n = points.size();
    double sx = 0, sy = 0;
    double[] lx = new double[n], ly = new double[n];
    for (int i = 0; i < n; i++) {
      double xi = x.applyAsDouble(points.get(i));
      if (!(xi > 0)) throw new IllegalArgumentException(points.get(i).label() + ": " + what + " = " + xi + "; Kaplan's law needs it > 0");
      lx[i] = Math.log(xi);
      ly[i] = Math.log(points.get(i).loss());
      sx += lx[i];
      sy += ly[i];
    }
    double mx = sx / n, my = sy / n, sxx = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
      sxx += (lx[i] - mx) * (lx[i] - mx);
      sxy += (lx[i] - mx) * (ly[i] - my);
    }
    if (sxx == 0) throw new IllegalArgumentException("all points have the same " + what + "; a power law in " + what + " needs at least two different values");
    double slope = sxy / sxx; // = −α
    double alpha = -slope;
    double intercept = my - slope * mx; // = α log x_c
    double scale = alpha == 0 ? Double.NaN : Math.exp(intercept / alpha);
    double ss = 0;
    for (int i = 0; i < n; i++) {
      double r = ly[i] - (intercept + slope * lx[i]);
      ss += r * r;
    }
    return new Fit(new KaplanLaw(scale, alpha), Math.sqrt(ss / n), n);
  }
}
