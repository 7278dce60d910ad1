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
   * Returns g⊥ = g − (w·g)/(w·w + 1e-30) w, rescaled by ||g|| / (||g⊥|| + 1e-30). Inputs are not modified; the dot
   * products are accumulated in float64.
   */
  public static NDArray project(NDArray w, NDArray g) {
    NDArray wd = w.toType(DataType.FLOAT64, false).reshape(-1);
    NDArray gd = g.toType(DataType.FLOAT64, false).reshape(-1);
    double wg = wd.dot(gd).getDouble();
    double ww = wd.dot(wd).getDouble();
    NDArray orth = gd.sub(wd.mul(wg / (ww + 1e-30)));
    double gNorm = Math.sqrt(gd.dot(gd).getDouble());
    double oNorm = Math.sqrt(orth.dot(orth).getDouble());
    return orth.mul(gNorm / (oNorm + 1e-30)).toType(g.getDataType(), false).reshape(g.getShape());
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
