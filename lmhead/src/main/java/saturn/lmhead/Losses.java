package saturn.lmhead;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * Cross-entropy losses and Softmax-Collapse diagnostics on logits [N, C] with integer targets [N] (methods.md §2).
 * Inputs are not modified; results are new arrays in the logits' manager (use an NDScope or sub-manager).
 */
public final class Losses {
  private Losses() {}

  /** Mean softmax cross-entropy, computed in the logits' precision. */
  public static NDArray softmaxCrossEntropy(NDArray logits, NDArray targets) {
    return nllLoss(logits.logSoftmax(-1), targets);
  }

  /** Mean −log p_y from log-probabilities [N, C] (the cross-entropy when they are the logits' log-softmax). */
  public static NDArray nllLoss(NDArray logProbs, NDArray targets) {
    return pick(logProbs, targets).mean().neg();
  }

  /**
   * StableMax s(x) = x + 1 (x >= 0), 1/(1 − x) (x < 0), computed as written: no max shift (StableMax is not
   * shift-invariant). As max(x, 0) + 1/(1 − min(x, 0)): both terms are finite everywhere (gradients never NaN) and
   * it takes fewer full-size temporaries than a where() of two branches; 1/y is a division because pow(−1) and its
   * backward call std::pow per element (several times slower on [512, 50304] float64 logits).
   */
  public static NDArray stableMaxS(NDArray z) {
    NDArray d = z.minimum(0).neg().add(1);
    return z.maximum(0).add(d.onesLike().div(d));
  }

  /** StableMax probabilities s(z_i)/Σ s(z_j) along the last axis. */
  public static NDArray stableMax(NDArray z) {
    NDArray s = stableMaxS(z);
    return s.div(s.sum(new int[] {-1}, true));
  }

  /** Mean −log StableMax(z)_y; in float64 when {@code float64} (the reference's choice), else in the logits' type. */
  public static NDArray stableMaxCrossEntropy(NDArray logits, NDArray targets, boolean float64) {
    NDArray z = float64 ? toFloat64(logits) : logits;
    NDArray s = stableMaxS(z);
    NDArray logSum = s.sum(new int[] {-1}).log();
    NDArray logPicked = pick(s, targets).log();
    return logSum.sub(logPicked).mean();
  }

  /** The head's loss on logits [N, V]. */
  public static NDArray loss(HeadSpec head, NDArray logits, NDArray targets) {
    return head.loss() == HeadSpec.Loss.STABLEMAX
        ? stableMaxCrossEntropy(logits, targets, head.stableMaxFloat64())
        : softmaxCrossEntropy(logits, targets);
  }

  /** Per-sample losses [N] (for the exactly-zero-loss fraction). */
  public static NDArray perSampleLoss(HeadSpec.Loss loss, NDArray logits, NDArray targets) {
    if (loss == HeadSpec.Loss.STABLEMAX) {
      NDArray s = stableMaxS(logits);
      return s.sum(new int[] {-1}).log().sub(pick(s, targets).log());
    }
    return pick(logits.logSoftmax(-1), targets).neg();
  }

  /**
   * Fraction of rows whose Σ_k exp(z_k − max z) is exactly 1 in the logits' precision: Softmax Collapse, where the
   * probability of the top class is exactly 1 and its loss and gradient exactly 0.
   */
  public static double softmaxCollapseFraction(NDArray logits) {
    NDArray z = logits.stopGradient();
    NDArray m = z.max(new int[] {-1}, true);
    NDArray sum = z.sub(m).exp().sum(new int[] {-1});
    return sum.eq(1).toType(DataType.FLOAT64, false).mean().getDouble();
  }

  /**
   * {@link #softmaxCollapseFraction(NDArray)} of {@code logits}, given their log-softmax: the exact test runs only on
   * the rows that can have collapsed. A row whose sum rounds to exactly 1 had every other term absorbed, each at most
   * half an ulp of 1, so they total at most V ulps and its top log-probability is at least −4·V·ulp(1) in the logits'
   * precision (the factor covers log-softmax's own rounding). Early in training no row comes near (top probability
   * &lt; 0.97 at fp32, V = 50k), and the metric costs one max over the log-probabilities instead of four passes and an
   * exp over the logits.
   */
  public static double softmaxCollapseFraction(NDArray logits, NDArray logProbs) {
    long v = logits.getShape().get(1);
    double ulp = switch (logits.getDataType()) {
      case FLOAT64 -> Math.ulp(1.0);
      case FLOAT32 -> Math.ulp(1f);
      default -> Double.POSITIVE_INFINITY; // fp16/bf16: test every row
    };
    NDArray top = logProbs.stopGradient().max(new int[] {-1});
    return softmaxCollapseFraction(logits, top.gte(-4.0 * v * ulp).nonzero().reshape(-1).toLongArray());
  }

  /**
   * {@link #softmaxCollapseFraction(NDArray)} of {@code logits} [N, C] when only {@code candidateRows} can have
   * collapsed (e.g. the rows whose top logit leads by enough, {@link StableMaxCrossEntropy}): tests those rows only.
   */
  public static double softmaxCollapseFraction(NDArray logits, long[] candidateRows) {
    long rows = logits.getShape().get(0);
    if (candidateRows.length == 0) return 0;
    if (candidateRows.length == rows) return softmaxCollapseFraction(logits);
    try (NDArray idx = logits.getManager().create(candidateRows)) {
      return softmaxCollapseFraction(logits.stopGradient().get(new NDIndex("{}", idx))) * candidateRows.length / rows;
    }
  }

  /** Fraction of samples whose loss is exactly zero. */
  public static double zeroLossFraction(NDArray perSampleLoss) {
    return perSampleLoss.stopGradient().eq(0).toType(DataType.FLOAT64, false).mean().getDouble();
  }

  /** Fraction of rows whose argmax equals the target. */
  public static double accuracy(NDArray logits, NDArray targets) {
    NDArray pred = logits.stopGradient().argMax(-1).toType(DataType.INT64, false);
    return pred.eq(targets.toType(DataType.INT64, false)).toType(DataType.FLOAT64, false).mean().getDouble();
  }

  /**
   * A float64 copy that keeps the autograd graph: DJL's toType detaches on the PyTorch engine, so the cast is done by
   * type promotion (adding a float64 zero of shape [1]).
   */
  public static NDArray toFloat64(NDArray x) {
    if (x.getDataType() == DataType.FLOAT64) return x;
    try (NDArray zero = x.getManager().zeros(new ai.djl.ndarray.types.Shape(1), DataType.FLOAT64)) {
      return x.add(zero);
    }
  }

  private static NDArray pick(NDArray values, NDArray targets) {
    NDArray idx = targets.toType(DataType.INT64, false).reshape(-1, 1);
    return values.gather(idx, 1).reshape(-1);
  }
}
