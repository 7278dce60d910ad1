package saturn.lmhead.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import saturn.lmhead.engine.TorchRuntime;

/**
 * AdamW against torch.optim.AdamW's documented update, written out in doubles: the fused float32 CPU path and the
 * NDArray path (float64 parameters), with decay on matrices only, over several steps with changing learning rates.
 */
class OptimizerTest {
  static NDManager m;
  static Engine engine;

  @BeforeAll
  static void setUp() {
    engine = TorchRuntime.engine(2);
    m = NDManager.newBaseManager("PyTorch");
  }

  @AfterAll
  static void tearDown() {
    m.close();
  }

  @Test
  void adamwFollowsTorchsUpdate() {
    for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
      Random rnd = new Random(13); // reproduce: seed 13
      int rows = 300;
      int cols = 70; // 21,000 elements: more than one chunk of the fused path
      double[] w = gaussian(rnd, rows * cols, 0.5);
      double[] b = gaussian(rnd, cols, 0.5);
      double lr0 = 3e-3, wd = 0.1, b1 = 0.9, b2 = 0.95, eps = 1e-8;
      try (NDManager sm = m.newSubManager()) {
        Map<String, NDArray> params = new LinkedHashMap<>();
        params.put("w", sm.create(w, new Shape(rows, cols)).toType(type, false));
        params.put("b", sm.create(b, new Shape(cols)).toType(type, false));
        for (NDArray p : params.values()) p.setRequiresGradient(true);
        double[][] ref = {w.clone(), b.clone()};
        double[][] mom = {new double[w.length], new double[b.length]};
        double[][] sq = {new double[w.length], new double[b.length]};
        OptimizerConfig cfg = OptimizerConfig.parse("adamw", wd, b1, b2, 0);
        try (Optimizer opt = new Optimizer(sm, cfg, params)) {
          for (int t = 1; t <= 5; t++) {
            double lr = lr0 * t / 5;
            double[][] grads = {gaussian(rnd, w.length, 1), gaussian(rnd, b.length, 1)};
            // gradients from a real backward: d/dp Σ p·G = G
            try (GradientCollector gc = engine.newGradientCollector()) {
              NDArray gw = sm.create(grads[0], new Shape(rows, cols)).toType(type, false);
              NDArray gb = sm.create(grads[1], new Shape(cols)).toType(type, false);
              gc.backward(params.get("w").mul(gw).sum().add(params.get("b").mul(gb).sum()));
            }
            opt.step(params, lr);
            for (int k = 0; k < 2; k++) {
              boolean decay = k == 0; // matrices only
              for (int i = 0; i < ref[k].length; i++) {
                double g = grads[k][i];
                if (decay) ref[k][i] *= 1 - lr * wd;
                mom[k][i] = b1 * mom[k][i] + (1 - b1) * g;
                sq[k][i] = b2 * sq[k][i] + (1 - b2) * g * g;
                double denom = Math.sqrt(sq[k][i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                ref[k][i] -= lr / (1 - Math.pow(b1, t)) * mom[k][i] / denom;
              }
            }

          }
          double tol = type == DataType.FLOAT32 ? 2e-6 : 1e-12;
          double[] gotW = params.get("w").toType(DataType.FLOAT64, false).toDoubleArray();
          double[] gotB = params.get("b").toType(DataType.FLOAT64, false).toDoubleArray();
          for (int i = 0; i < gotW.length; i++) assertEquals(ref[0][i], gotW[i], tol * (1 + Math.abs(ref[0][i])), type + " w[" + i + "]");
          for (int i = 0; i < gotB.length; i++) assertEquals(ref[1][i], gotB[i], tol * (1 + Math.abs(ref[1][i])), type + " b[" + i + "]");
        }
      }
    }
  }

  @Test
  void fusedOrthoGradEqualsTheReference() {
    Random rnd = new Random(17); // reproduce: seed 17
    int n = 50_000; // several chunks
    double[] w = gaussian(rnd, n, 1);
    double[] g = gaussian(rnd, n, 1);
    for (int i = 0; i < n; i++) g[i] += 0.7 * w[i]; // a real component along w to remove
    double[] want = OrthoGrad.project(w, g);
    java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(2);
    try (NDManager sm = m.newSubManager()) {
      NDArray wa = sm.create(w).toType(DataType.FLOAT32, false);
      NDArray ga = sm.create(g).toType(DataType.FLOAT32, false);
      double[] viaNd = OrthoGrad.project(wa, ga).toType(DataType.FLOAT64, false).toDoubleArray();
      OrthoGrad.projectInPlace(wa, ga, pool);
      double[] fused = ga.toType(DataType.FLOAT64, false).toDoubleArray();
      for (int i = 0; i < n; i++) {
        assertEquals(want[i], fused[i], 1e-5 * (1 + Math.abs(want[i])), "fused[" + i + "]");
        assertEquals(viaNd[i], fused[i], 1e-5 * (1 + Math.abs(want[i])), "NDArray form [" + i + "]");
      }
    } finally {
      pool.shutdown();
    }
  }

  private static double[] gaussian(Random rnd, int n, double scale) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) a[i] = rnd.nextGaussian() * scale;
    return a;
  }
}
