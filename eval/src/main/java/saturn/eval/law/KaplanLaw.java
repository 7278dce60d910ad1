package saturn.eval.law;

/**
 * Kaplan et al. 2020: L(N) = (N_c / N)^α_N with N the non-embedding parameter count (or L(D) = (D_c/D)^α_D with the
 * same form).
 *
 * @param scale N_c (or D_c)
 * @param exponent α_N (or α_D)
 */
public record KaplanLaw(double scale, double exponent) {
  /** Kaplan et al. 2020, L(N) with non-embedding parameters. */
  public static final KaplanLaw KAPLAN_2020_N = new KaplanLaw(8.8e13, 0.076);
  /** Kaplan et al. 2020, L(D) with tokens. */
  public static final KaplanLaw KAPLAN_2020_D = new KaplanLaw(5.4e13, 0.095);

  public static final int PARAMETERS = 2;

  public double loss(double x) {
    return Math.pow(scale / x, exponent);
  }
}
