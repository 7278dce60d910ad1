package saturn.lmhead;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.FloatBuffer;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import saturn.lmhead.internal.ParallelRange;

/**
 * Mean StableMax cross-entropy over logits [N, V] and its gradient with respect to the logits, computed row by row
 * in Java on the logits' memory (methods.md §2): s(z) = max(z, 0) + r with r = 1/(1 − min(z, 0)), s'(z) = r²,
 * loss_i = log Σ_j s(z_ij) − log s(z_iy), ∂loss/∂z_ij = (s'(z_ij)/S_i − [j = y] s'(z_iy)/s(z_iy)) / N.
 *
 * <p>Why: as a chain of libtorch ops with autograd, the float64 reference form materialises a dozen [N, V] float64
 * temporaries forward and backward (~200 MB each for 512 × 50,304), which made a StableMax step 3–4× a softmax step.
 * Here each row is read once for the sum and once for the gradient, in the same float64 arithmetic as the reference
 * ({@code float64 = false}: float32 arithmetic), and the gradient is written straight into a float32 tensor that
 * backward() takes as the logits' gradient. Rows are independent, so results do not depend on the thread count.
 * CPU tensors only (the caller keeps the libtorch form on a GPU).
 */
final class StableMaxCrossEntropy {
  /**
   * The mean loss, ∂loss/∂logits (a new float32 [N, V] array in the logits' manager), the fraction of rows whose loss
   * is exactly 0, and the rows that can be in Softmax Collapse: those whose top logit leads the second by at least {@value #COLLAPSE_GAP} (below that,
   * e^−gap alone exceeds half an ulp of 1 in float32, so Σ exp(z − max) cannot round to 1).
   */
  record Result(double loss, NDArray gradient, long[] collapseCandidates, double zeroLossFraction) {}

  static final float COLLAPSE_GAP = 16f;

  private StableMaxCrossEntropy() {}

  static Result forwardBackward(NDArray logits, int[] targets, boolean float64, ForkJoinPool pool) {
    if (logits.getDataType() != DataType.FLOAT32 || logits.getShape().dimension() != 2) {
      throw new IllegalArgumentException("StableMax kernel needs float32 logits [N, V], got " + logits.getDataType() + " "
          + logits.getShape());
    }
    int n = Math.toIntExact(logits.getShape().get(0));
    int v = Math.toIntExact(logits.getShape().get(1));
    if (targets.length != n) throw new IllegalArgumentException(targets.length + " targets for " + n + " rows");
    for (int t : targets) {
      if (t < 0 || t >= v) throw new IllegalArgumentException("target token " + t + " outside the head's [0, " + v + ")");
    }
    FloatBuffer z = logits.toByteBuffer(true).asFloatBuffer();
    NDArray grad = logits.getManager().create(logits.getShape(), DataType.FLOAT32);
    FloatBuffer g = grad.toByteBuffer(true).asFloatBuffer();
    double[] rowLoss = new double[n];
    boolean[] candidate = new boolean[n];
    ParallelRange.forEach(pool, n, i -> {
      Scratch sc = SCRATCH.get().ensure(v);
      float[] row = sc.row;
      z.slice(i * v, v).get(row, 0, v);
      candidate[i] = topGap(row, v) >= COLLAPSE_GAP;
      rowLoss[i] = float64 ? row64(row, v, targets[i], n, sc.r, sc.s) : row32(row, v, targets[i], n);
      g.slice(i * v, v).put(row, 0, v);
    });
    double sum = 0;
    int zeros = 0;
    for (double l : rowLoss) { // row order: the same loss for any thread count
      sum += l;
      if (l == 0) zeros++;
    }
    return new Result(sum / n, grad, IntStream.range(0, n).filter(i -> candidate[i]).asLongStream().toArray(),
        (double) zeros / n);
  }

  /** Top value minus the second (0 on a tie); one pass of mostly not-taken branches. */
  private static float topGap(float[] row, int v) {
    float m1 = Float.NEGATIVE_INFINITY;
    float m2 = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < v; j++) {
      float x = row[j];
      if (x > m2) {
        if (x > m1) {
          m2 = m1;
          m1 = x;
        } else {
          m2 = x;
        }
      }
    }
    return v < 2 ? Float.POSITIVE_INFINITY : m1 - m2;
  }

  /** Per-thread row buffers (a step has hundreds of rows of ~50k entries). */
  private static final class Scratch {
    float[] row = new float[0];
    double[] r = new double[0];
    double[] s = new double[0];

    Scratch ensure(int v) {
      if (row.length < v) {
        row = new float[v];
        r = new double[v];
        s = new double[v];
      }
      return this;
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /**
   * Float64 arithmetic; replaces {@code row[0 .. v)} by the row's gradient and returns the row's loss. The element-wise
   * passes (r = 1/(1 − min(z, 0)), s = max(z, 0) + r, then s' = r²) have no loop-carried dependence, so the JIT can
   * vectorise them; the sum is a separate pass with four partial sums in a fixed order (the result depends on the
   * row only).
   */
  private static double row64(float[] row, int v, int y, int n, double[] r, double[] s) {
    for (int j = 0; j < v; j++) {
      double x = row[j];
      double rj = 1.0 / (1.0 - Math.min(x, 0.0));
      r[j] = rj;
      s[j] = Math.max(x, 0.0) + rj;
    }
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int j = 0;
    for (; j + 4 <= v; j += 4) {
      s0 += s[j];
      s1 += s[j + 1];
      s2 += s[j + 2];
      s3 += s[j + 3];
    }
    for (; j < v; j++) s0 += s[j];
    double sum = (s0 + s1) + (s2 + s3);
    double sy = s[y];
    double scale = 1 / (sum * n);
    for (j = 0; j < v; j++) row[j] = (float) (r[j] * r[j] * scale);
    row[y] = (float) (r[y] * r[y] * (scale - 1 / (sy * n)));
    return Math.log(sum) - Math.log(sy);
  }

  /** Float32 arithmetic (eight partial sums, as a vectorised reduction would); same contract as {@link #row64}. */
  private static double row32(float[] row, int v, int y, int n) {
    float[] part = new float[8];
    int j = 0;
    for (; j + 8 <= v; j += 8) {
      for (int k = 0; k < 8; k++) {
        float x = row[j + k];
        part[k] += (x > 0 ? x : 0f) + 1f / (1f - (x < 0 ? x : 0f));
      }
    }
    float sum = 0;
    for (; j < v; j++) {
      float x = row[j];
      sum += (x > 0 ? x : 0f) + 1f / (1f - (x < 0 ? x : 0f));
    }
    for (float p : part) sum += p;
    float zy = row[y];
    float ry = 1f / (1f - (zy < 0 ? zy : 0f));
    float sy = (zy > 0 ? zy : 0f) + ry;
    float scale = 1f / (sum * n);
    for (j = 0; j < v; j++) {
      float x = row[j];
      float r = 1f / (1f - (x < 0 ? x : 0f));
      row[j] = r * r * scale;
    }
    row[y] = ry * ry * (scale - 1f / (sy * n));
    return (float) Math.log(sum) - (float) Math.log(sy);
  }
}
