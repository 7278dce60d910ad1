package saturn.eval.metrics;

/**
 * Softmax collapse (Prieto et al. 2025, methods.md §2): once one logit dominates, Σ_k exp(z_k − max z) rounds to
 * exactly 1 in the working precision, the probability of the top class is exactly 1 and loss and gradient vanish.
 *
 * <p>Model: logits are first rounded to the precision, each term exp(z_k − m) is rounded to it, the terms are added
 * exactly and the total is rounded once. (Accumulating in the low precision term by term would absorb many small terms
 * that together exceed half an ulp of 1, and the result would depend on summation order.) The max term is exactly 1,
 * so the sum is computed as 1 + Σ_{k≠argmax} t_k; the one-term thresholds this implies are Δ ≥ 7.62 (fp16), 16.64
 * (fp32), 36.74 (fp64).
 */
public final class SoftmaxCollapse {
  private SoftmaxCollapse() {}

  /** Outcome of one row: whether the sum rounded to 1 and whether the loss is exactly 0. */
  public record Row(boolean collapsed, boolean zeroLoss, double loss) {}

  /**
   * @param logits input: row of V logits starting at {@code offset}
   * @param label input: the target class
   * @param p input: working precision
   */
  public static Row evaluate(float[] logits, int offset, int vocab, int label, Precision p) {
    int arg = offset;
    double m = Double.NEGATIVE_INFINITY;
    for (int k = offset; k < offset + vocab; k++) {
      double z = p.round(logits[k]);
      if (z > m) {
        m = z;
        arg = k;
      }
    }
    double rest = 0;
    for (int k = offset; k < offset + vocab; k++) {
      if (k == arg) continue;
      rest += p.round(Math.exp(p.round(p.round(logits[k]) - m)));
    }
    double sum = p.round(1.0 + rest);
    double zy = p.round(logits[offset + label]);
    double loss = p.round(p.round(m - zy) + p.round(Math.log(sum))); // −log softmax_y = (m − z_y) + log Σ
    return new Row(sum == 1.0, loss == 0.0, loss);
  }
}
