package saturn.eval.law;

/**
 * Chinchilla's parametric loss L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, approach 3).
 *
 * @param e irreducible loss E
 * @param a coefficient A of the parameter term
 * @param b coefficient B of the data term
 * @param alpha exponent α of N
 * @param beta exponent β of D
 */
public record ChinchillaLaw(double e, double a, double b, double alpha, double beta) {
  /** The published fit (Hoffmann et al. 2022). */
  public static final ChinchillaLaw HOFFMANN_2022 = new ChinchillaLaw(1.69, 406.4, 410.7, 0.34, 0.28);
  /** The refit of the same data by Besiroglu et al. 2024. */
  public static final ChinchillaLaw BESIROGLU_2024 = new ChinchillaLaw(1.8172, 482.01, 2085.43, 0.3478, 0.3658);

  public static final int PARAMETERS = 5;

  /** Predicted loss for N parameters trained on D tokens. */
  public double loss(double n, double d) {
    return e + a / Math.pow(n, alpha) + b / Math.pow(d, beta);
  }

  /** The law from the fit's log-space parameters (A = exp a, B = exp b, E = exp e). */
  public static ChinchillaLaw fromLog(double[] theta) {
    return new ChinchillaLaw(Math.exp(theta[2]), Math.exp(theta[0]), Math.exp(theta[1]), theta[3], theta[4]);
  }

  /** The log-space parameter vector {a, b, e, α, β} the fit works in. */
  public double[] toLog() {
    return new double[] {Math.log(a), Math.log(b), Math.log(e), alpha, beta};
  }
}
