package saturn.spectra;

import java.util.Map;

/**
 * The top singular values of W with their error bounds, and the numbers needed to read them.
 *
 * @param rows rows of W (contexts)
 * @param cols columns of W (vocabulary)
 * @param nnz stored entries
 * @param nonEmptyColumns columns with at least one stored entry (the operator's dimension)
 * @param zeroRows rows without any stored entry (ignored: they change neither σ nor ||W||_F)
 * @param frobeniusSquared ||W||_F², exact sum of squares of the stored entries (in double)
 * @param requestedRank k as asked
 * @param sigma σ_1 ≥ … ≥ σ_k (k after clamping)
 * @param accuracy bound on the relative error of each σ_i from its residual norm
 * @param solver solver that ran
 * @param cycles restart cycles
 * @param converged every bound reached the tolerance
 * @param operatorColumns single-vector applications of WᵀW
 * @param seconds wall time of the solve
 */
public record Spectrum(int rows, int cols, long nnz, int nonEmptyColumns, long zeroRows, double frobeniusSquared,
    int requestedRank, double[] sigma, double[] accuracy, String solver, int cycles, boolean converged,
    long operatorColumns, double seconds) {

  public int rank() {
    return sigma.length;
  }

  /** W_err(d) for d = 0..k. */
  public double[] wError() {
    return WErrorCurve.of(sigma, frobeniusSquared);
  }

  public Map<String, Integer> firstRankBelow() {
    return WErrorCurve.firstRankBelow(wError());
  }

  public double maxAccuracy() {
    double m = 0;
    for (double a : accuracy) m = Math.max(m, a);
    return m;
  }
}
