package saturn.eval.metrics;

/**
 * Statistics of a singular spectrum σ_1 ≥ … ≥ σ_k ≥ 0 (methods.md §1.3): p_i = σ_i/Σσ_j, singular entropy
 * SE = −Σ p_i ln p_i ∈ [0, ln k], normalised SE/ln k and effective rank exp(SE). Not KL(p‖uniform) = ln k − SE.
 */
public final class SingularSpectrum {
  private SingularSpectrum() {}

  /** SE in nats; zero singular values contribute 0 (p ln p → 0). NaN for an all-zero or empty spectrum. */
  public static double entropy(double[] sigma) {
    double sum = 0;
    for (double s : sigma) {
      if (s < 0 || Double.isNaN(s)) throw new IllegalArgumentException("singular values must be >= 0, got " + s);
      sum += s;
    }
    if (sigma.length == 0 || sum == 0) return Double.NaN;
    double h = 0;
    for (double s : sigma) {
      if (s == 0) continue;
      double p = s / sum;
      h -= p * Math.log(p);
    }
    return h;
  }

  /** SE / ln k, in [0, 1]; k = number of singular values (min(V, d) for a head). NaN for k < 2. */
  public static double normalizedEntropy(double[] sigma) {
    return sigma.length < 2 ? Double.NaN : entropy(sigma) / Math.log(sigma.length);
  }

  /** exp(SE), between 1 and k. */
  public static double effectiveRank(double[] sigma) {
    return Math.exp(entropy(sigma));
  }

  /** σ_i / σ_1 (σ_1 the largest); output may be the input. */
  public static double[] normalizedBySigma1(double[] sigma, double[] out) {
    double max = 0;
    for (double s : sigma) max = Math.max(max, s);
    double[] o = out == null ? new double[sigma.length] : out;
    for (int i = 0; i < sigma.length; i++) o[i] = max == 0 ? Double.NaN : sigma[i] / max;
    return o;
  }
}
