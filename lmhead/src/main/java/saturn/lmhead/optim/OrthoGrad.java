package saturn.lmhead.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * ⊥Grad (Prieto et al. 2025, methods.md §2): removes from a tensor's gradient its component along the weights, then
 * rescales it back to the original gradient norm. Applied per tensor, flattened.
 */
public final class OrthoGrad {
  private OrthoGrad() {}

  /**
   * Returns g⊥ = g − (w·g)/(w·w + 1e-30) w, rescaled by ||g|| / (||g⊥|| + 1e-30). Inputs are not modified. Computed
   * in the weights' precision, as the reference implementation does (float32 in training, float64 in fp64 grokking
   * runs): float64 copies of every tensor made ⊥AdamW's step a third slower than AdamW's.
   */
  public static NDArray project(NDArray w, NDArray g) {
    NDArray wf = w.reshape(-1);
    NDArray gf = g.toType(w.getDataType(), false).reshape(-1);
    double wg = dot(wf, gf);
    double ww = dot(wf, wf);
    NDArray orth = gf.sub(wf.mul(wg / (ww + 1e-30)));
    double gNorm = Math.sqrt(dot(gf, gf));
    double oNorm = Math.sqrt(dot(orth, orth));
    return orth.muli(gNorm / (oNorm + 1e-30)).toType(g.getDataType(), false).reshape(g.getShape());
  }

  /**
   * Σ a_i b_i as an elementwise product and PyTorch's sum, whose summation order depends only on the index: BLAS dot
   * kernels also depend on the buffers' alignment, which differs after a resume and broke bit-exact resumption.
   */
  private static double dot(NDArray a, NDArray b) {
    try (NDArray s = a.mul(b).sum()) {
      return s.getDataType() == DataType.FLOAT64 ? s.getDouble() : s.toType(DataType.FLOAT64, false).getDouble();
    }
  }

  /** Java-array form for tests and small tensors. */
  public static double[] project(double[] w, double[] g) {
    double wg = 0, ww = 0, gg = 0;
    for (int i = 0; i < w.length; i++) {
      wg += w[i] * g[i];
      ww += w[i] * w[i];
      gg += g[i] * g[i];
    }
    double c = wg / (ww + 1e-30);
    double[] o = new double[g.length];
    double oo = 0;
    for (int i = 0; i < g.length; i++) {
      o[i] = g[i] - c * w[i];
      oo += o[i] * o[i];
    }
    double scale = Math.sqrt(gg) / (Math.sqrt(oo) + 1e-30);
    for (int i = 0; i < o.length; i++) o[i] *= scale;
    return o;
  }
}
