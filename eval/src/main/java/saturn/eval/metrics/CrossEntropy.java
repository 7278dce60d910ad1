package saturn.eval.metrics;

/** Softmax cross-entropy of one row of logits, in double with log-sum-exp (the reference for held-out loss). */
public final class CrossEntropy {
  private CrossEntropy() {}

  /**
   * @param logits input: row of V logits starting at {@code offset}
   * @param label input: target class in [0, V)
   * @return −log softmax(z)_label in nats
   */
  public static double of(float[] logits, int offset, int vocab, int label) {
    if (label < 0 || label >= vocab) throw new IllegalArgumentException("label " + label + " outside the vocabulary [0, " + vocab + ")");
    double m = Double.NEGATIVE_INFINITY;
    for (int k = offset; k < offset + vocab; k++) m = Math.max(m, logits[k]);
    double s = 0;
    for (int k = offset; k < offset + vocab; k++) s += Math.exp(logits[k] - m);
    return m + Math.log(s) - logits[offset + label];
  }
}
