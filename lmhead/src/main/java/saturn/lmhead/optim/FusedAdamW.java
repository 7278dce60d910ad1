package saturn.lmhead.optim;

import ai.djl.ndarray.NDArray;
import java.nio.FloatBuffer;
import java.util.concurrent.ForkJoinPool;
import saturn.lmhead.internal.ParallelRange;

/**
 * torch.optim.AdamW's single-tensor update for float32 CPU tensors as one pass in Java over the memory of parameter,
 * gradient and both moments, in torch's per-element float32 arithmetic:
 * {@code p *= 1 − lr·wd; m = lerp(m, g, 1 − β1); v = v·β2 + (1 − β2)·g·g; p −= (lr/bc1) · m / (√v / √bc2 + ε)}.
 *
 * <p>Why: as NDArray operations the update is fourteen passes and four parameter-sized temporaries per tensor (DJL
 * has no lerp, addcmul or addcdiv), which on the 50k × d embedding and head matrices cost more than the update's
 * arithmetic: about a sixth of a small model's step. Elements are independent, so the result does not depend on the
 * thread count.
 */
final class FusedAdamW {
  private static final int CHUNK = 1 << 14;

  private FusedAdamW() {}

  /** Per-thread chunk buffers. */
  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][CHUNK]);

  static void step(NDArray param, NDArray grad, NDArray expAvg, NDArray expAvgSq, float decayFactor, float beta1,
      float beta2, float stepSize, float bc2Sqrt, float eps, ForkJoinPool pool) {
    int n = Math.toIntExact(param.size());
    FloatBuffer p = param.toByteBuffer(true).asFloatBuffer();
    FloatBuffer g = grad.toByteBuffer(true).asFloatBuffer();
    FloatBuffer m = expAvg.toByteBuffer(true).asFloatBuffer();
    FloatBuffer v = expAvgSq.toByteBuffer(true).asFloatBuffer();
    float w = 1 - beta1;
    float c2 = 1 - beta2;
    int chunks = (n + CHUNK - 1) / CHUNK;
    ParallelRange.forEach(pool, chunks, c -> {
      int from = c * CHUNK;
      int len = Math.min(CHUNK, n - from);
      float[][] s = SCRATCH.get();
      float[] ps = s[0];
      float[] gs = s[1];
      float[] ms = s[2];
      float[] vs = s[3];
      p.get(from, ps, 0, len);
      g.get(from, gs, 0, len);
      m.get(from, ms, 0, len);
      v.get(from, vs, 0, len);
      for (int i = 0; i < len; i++) {
        float gi = gs[i];
        float mi = w < 0.5f ? ms[i] + w * (gi - ms[i]) : gi - (gi - ms[i]) * (1 - w); // torch's lerp
        float vi = vs[i] * beta2 + c2 * gi * gi;
        float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
        ps[i] = ps[i] * decayFactor + -stepSize * mi / denom;
        ms[i] = mi;
        vs[i] = vi;
      }
      p.put(from, ps, 0, len);
      m.put(from, ms, 0, len);
      v.put(from, vs, 0, len);
    });
  }
}
