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

  /** ln 2^11, ln 2^24, ln 2^53: the gap between top and second logit beyond which one term alone is absorbed. */
  public static final double THRESHOLD_FP16 = 11 * Math.log(2), THRESHOLD_FP32 = 24 * Math.log(2), THRESHOLD_FP64 = 53 * Math.log(2);

  /**
   * Everything a held-out token needs, with one exp per logit: softmax cross-entropy (double), and collapse and
   * zero-loss in fp64, fp32 and fp16 exactly as {@link #evaluate}. The fp32/fp16 sums are computed only when the top
   * logit leads the runner-up by nearly their threshold; below that a single term keeps the sum above 1.
   *
   * @param out output, caller-owned, length ≥ 7: {loss, collapsed64, zero64, collapsed32, zero32, collapsed16, zero16}
   *     (flags as 0/1)
   */
  public static void tokenStats(float[] logits, int offset, int vocab, int label, double[] out) {
    int arg = offset;
    float m = logits[offset];
    float second = Float.NEGATIVE_INFINITY;
    for (int k = offset + 1; k < offset + vocab; k++) {
      float z = logits[k];
      if (z > m) {
        second = m;
        m = z;
        arg = k;
      } else if (z > second) {
        second = z;
      }
    }
    double rest = 0;
    for (int k = offset; k < offset + vocab; k++) if (k != arg) rest += Math.exp((double) logits[k] - m);
    double sum = 1.0 + rest;
    double zy = logits[offset + label];
    out[0] = (m - zy) + Math.log1p(rest);
    out[1] = sum == 1.0 ? 1 : 0;
    out[2] = ((m - zy) + Math.log(sum)) == 0.0 ? 1 : 0;
    double gap = (double) m - second;
    fill(out, 3, gap < THRESHOLD_FP32 - 0.5 ? null : evaluate(logits, offset, vocab, label, Precision.FP32));
    fill(out, 5, gap < THRESHOLD_FP16 - 0.5 ? null : evaluate(logits, offset, vocab, label, Precision.FP16));
  }

  private static void fill(double[] out, int at, Row r) {
    out[at] = r != null && r.collapsed() ? 1 : 0;
    out[at + 1] = r != null && r.zeroLoss() ? 1 : 0;
  }

  /**
   * The collapse and zero-loss flags of {@link #tokenStats} without the loss, at the cost of one comparison per logit
   * for the usual rows: a precision's sums are computed only when the top logit leads the runner-up by nearly that
   * precision's threshold (for any smaller lead the runner-up's term alone keeps the sum above 1).
   *
   * @param out output, caller-owned, length ≥ 6: {collapsed64, zero64, collapsed32, zero32, collapsed16, zero16}
   */
  public static void flags(float[] logits, int offset, int vocab, int label, double[] out) {
    float m = logits[offset];
    float second = Float.NEGATIVE_INFINITY;
    for (int k = offset + 1; k < offset + vocab; k++) {
      float z = logits[k];
      if (z > m) {
        second = m;
        m = z;
      } else if (z > second) {
        second = z;
      }
    }
    double gap = (double) m - second;
    fill(out, 0, gap < THRESHOLD_FP64 - 0.5 ? null : evaluate(logits, offset, vocab, label, Precision.FP64));
    fill(out, 2, gap < THRESHOLD_FP32 - 0.5 ? null : evaluate(logits, offset, vocab, label, Precision.FP32));
    fill(out, 4, gap < THRESHOLD_FP16 - 0.5 ? null : evaluate(logits, offset, vocab, label, Precision.FP16));
  }
}
