package saturn.spectra;

import java.util.LinkedHashMap;
import java.util.Map;

/** W_err(d) = sqrt(1 − Σ_{i≤d} σ_i² / ||W||_F²) (Eckart–Young–Mirsky; methods.md §1.2). */
public final class WErrorCurve {
  /** Thresholds whose first crossing is reported. */
  public static final double[] THRESHOLDS = {0.6, 0.5, 0.25, 0.1};

  private WErrorCurve() {}

  /** W_err(d) for d = 0..k (index d); W_err(0) = 1. Rounding that would make the radicand negative gives 0. */
  public static double[] of(double[] sigma, double frobeniusSquared) {
    double[] out = new double[sigma.length + 1];
    out[0] = 1.0;
    double cum = 0;
    for (int i = 0; i < sigma.length; i++) {
      cum += sigma[i] * sigma[i];
      out[i + 1] = Math.sqrt(Math.max(0.0, (frobeniusSquared - cum) / frobeniusSquared));
    }
    return out;
  }

  /** Smallest d with W_err(d) ≤ t for each threshold, or null where the curve (up to k) does not reach it. */
  public static Map<String, Integer> firstRankBelow(double[] wErr) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (double t : THRESHOLDS) {
      Integer d = null;
      for (int i = 0; i < wErr.length; i++) {
        if (wErr[i] <= t) {
          d = i;
          break;
        }
      }
      out.put(Double.toString(t), d);
    }
    return out;
  }
}
