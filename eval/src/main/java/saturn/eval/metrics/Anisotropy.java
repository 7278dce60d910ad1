package saturn.eval.metrics;

/**
 * Anisotropy of a set of hidden states: the mean pairwise cosine A = 1/(n(n−1)) Σ_{i≠j} cos(h_i, h_j).
 *
 * <p>Computed exactly in O(n·d) instead of O(n²·d): with u_i = h_i/||h_i||, Σ_{i≠j} u_i·u_j = ||Σ u_i||² − n
 * (methods.md §1.3). Accumulation is in double, so the cancellation in ||Σu||² − n costs ~1e-16·n² absolute, far below
 * the metric's resolution.
 */
public final class Anisotropy {
  private Anisotropy() {}

  /**
   * @param hidden input: n rows of d values, row-major, {@code hidden[offset + i*d + k]}
   * @param offset input: index of the first value
   * @param n input: number of vectors; rows of zero norm have no direction and are left out of n
   * @param d input: dimension
   * @param sumOut output, caller-owned, length ≥ d (scratch for Σu); may be null
   * @return A, or NaN when fewer than two vectors have a nonzero norm
   */
  public static double meanPairwiseCosine(float[] hidden, int offset, int n, int d, double[] sumOut) {
    double[] s = sumOut != null && sumOut.length >= d ? sumOut : new double[d];
    java.util.Arrays.fill(s, 0, d, 0);
    int used = 0;
    for (int i = 0; i < n; i++) {
      int base = offset + i * d;
      double nn = 0;
      for (int k = 0; k < d; k++) nn += (double) hidden[base + k] * hidden[base + k];
      if (nn == 0 || !Double.isFinite(nn)) continue;
      double inv = 1 / Math.sqrt(nn);
      for (int k = 0; k < d; k++) s[k] += hidden[base + k] * inv;
      used++;
    }
    if (used < 2) return Double.NaN;
    double ss = 0;
    for (int k = 0; k < d; k++) ss += s[k] * s[k];
    return (ss - used) / ((double) used * (used - 1));
  }

  /** Convenience overload for a dense n×d block starting at 0. */
  public static double meanPairwiseCosine(float[] hidden, int n, int d) {
    return meanPairwiseCosine(hidden, 0, n, d, null);
  }
}
