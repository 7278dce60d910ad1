package saturn.lmhead;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import saturn.lmhead.engine.TorchRuntime;
import saturn.lmhead.optim.LrSchedule;
import saturn.lmhead.optim.OrthoGrad;

/** The test vectors of methods.md §2 (StableMax, Softmax Collapse, ⊥Grad) and gradient checks. */
class MethodsVectorsTest {
  static Engine engine;
  static NDManager m;

  @BeforeAll
  static void setUp() {
    engine = TorchRuntime.engine(1);
    m = NDManager.newBaseManager("PyTorch");
  }

  @AfterAll
  static void tearDown() {
    m.close();
  }

  NDArray z() {
    return m.create(new double[] {-2, -1, 0, 1, 2}, new Shape(1, 5));
  }

  @Test
  void stableMaxValues() {
    assertArrayEquals(new double[] {1 / 3.0, 0.5, 1, 2, 3}, Losses.stableMaxS(z()).toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {0.048780, 0.073171, 0.146341, 0.292683, 0.439024},
        Losses.stableMax(z()).toDoubleArray(), 5e-7);
    assertEquals(0.823200, Losses.stableMaxCrossEntropy(z(), m.create(new long[] {4}), true).getDouble(), 5e-7);
    assertEquals(3.020425, Losses.stableMaxCrossEntropy(z(), m.create(new long[] {0}), true).getDouble(), 5e-7);
    assertEquals(0.451914, Losses.softmaxCrossEntropy(z(), m.create(new long[] {4})).getDouble(), 5e-7);
    // not shift-invariant: shifting the logits changes the loss
    double shifted = Losses.stableMaxCrossEntropy(z().add(3), m.create(new long[] {4}), true).getDouble();
    assertTrue(Math.abs(shifted - 0.823200) > 1e-3);
  }

  @Test
  void stableMaxIsComputedInFloat64ByDefault() {
    NDArray f32 = m.create(new float[] {-2, -1, 0, 1, 2}, new Shape(1, 5));
    NDArray l = Losses.stableMaxCrossEntropy(f32, m.create(new long[] {4}), true);
    assertEquals(DataType.FLOAT64, l.getDataType());
    assertEquals(DataType.FLOAT32, Losses.stableMaxCrossEntropy(f32, m.create(new long[] {4}), false).getDataType());
  }

  @Test
  void stableMaxGradientMatchesFiniteDifferencesAndIsFiniteFarOut() {
    Random rnd = new Random(42); // reproduce: seed 42
    int n = 3;
    int c = 7;
    double[] logits = new double[n * c];
    for (int i = 0; i < logits.length; i++) logits[i] = rnd.nextGaussian() * 3;
    logits[0] = 0.0; // the junction of the two branches
    logits[1] = -1e6; // far out on the negative branch: the unused branch must not produce NaN
    long[] y = {0, 3, 6};
    NDArray z = m.create(logits, new Shape(n, c));
    z.setRequiresGradient(true);
    double[] grad;
    try (GradientCollector gc = engine.newGradientCollector()) {
      NDArray l = Losses.stableMaxCrossEntropy(z, m.create(y), true);
      gc.backward(l);
      grad = z.getGradient().toDoubleArray();
    }
    for (double g : grad) assertFalse(Double.isNaN(g) || Double.isInfinite(g));
    double h = 1e-6;
    for (int i = 0; i < logits.length; i++) {
      double[] p = logits.clone();
      double[] q = logits.clone();
      p[i] += h;
      q[i] -= h;
      double fd = (loss(p, y, n, c) - loss(q, y, n, c)) / (2 * h);
      assertEquals(fd, grad[i], 1e-6, "d loss / d z[" + i + "]");
    }
  }

  private static double loss(double[] z, long[] y, int n, int c) {
    double total = 0;
    for (int r = 0; r < n; r++) {
      double sum = 0;
      for (int j = 0; j < c; j++) sum += s(z[r * c + j]);
      total += -Math.log(s(z[r * c + (int) y[r]]) / sum);
    }
    return total / n;
  }

  private static double s(double x) {
    return x >= 0 ? x + 1 : 1 / (1 - x);
  }

  @Test
  void softmaxCollapseThresholds() {
    // 1 + e^-Δ rounds to 1 in fp32 once Δ >= 16.64 (methods.md): a two-logit row just past and just short of it
    NDArray collapsed = m.create(new float[] {17f, 0f, 16f, 0f}, new Shape(2, 2));
    assertEquals(0.5, Losses.softmaxCollapseFraction(collapsed), 0);
    NDArray f64 = m.create(new double[] {37, 0, 36, 0}, new Shape(2, 2));
    assertEquals(0.5, Losses.softmaxCollapseFraction(f64), 0);
    assertEquals(0.5, Losses.softmaxCollapseFraction(collapsed, collapsed.logSoftmax(-1)), 0);
    assertEquals(0.5, Losses.softmaxCollapseFraction(f64, f64.logSoftmax(-1)), 0);
    NDArray perSample = Losses.perSampleLoss(HeadSpec.Loss.SOFTMAX, m.create(new float[] {200f, 0f, 1f, 0f}, new Shape(2, 2)),
        m.create(new long[] {0, 0}));
    assertEquals(0.5, Losses.zeroLossFraction(perSample), 0);
  }

  @Test
  void collapseFromLogProbsEqualsTheDirectTest() {
    // rows with the top logit ahead by 4..64 of 4,999 others (collapsed from about 25 in fp32, 45 in fp64)
    Random rnd = new Random(5); // reproduce: seed 5
    int n = 200;
    int v = 5000;
    double[] z = new double[n * v];
    for (int i = 0; i < n; i++) {
      double gap = 60.0 * i / n;
      for (int j = 0; j < v; j++) z[i * v + j] = rnd.nextGaussian() * (i % 2 == 0 ? 0.01 : 1);
      z[i * v + rnd.nextInt(v)] += gap + 4;
    }
    NDArray d = m.create(z, new Shape(n, v));
    NDArray f = d.toType(DataType.FLOAT32, false);
    for (NDArray a : new NDArray[] {d, f}) {
      double direct = Losses.softmaxCollapseFraction(a);
      assertTrue(direct > 0 && direct < 1, "some rows collapse, some do not: " + direct);
      assertEquals(direct, Losses.softmaxCollapseFraction(a, a.logSoftmax(-1)), 0, a.getDataType().toString());
    }
  }

  @Test
  void orthoGradVector() {
    double[] out = OrthoGrad.project(new double[] {1, 2, 2}, new double[] {1, 0, 0});
    assertArrayEquals(new double[] {0.942809, -0.235702, -0.235702}, out, 5e-7);
    assertEquals(0, out[0] + 2 * out[1] + 2 * out[2], 1e-12);
    NDArray g = OrthoGrad.project(m.create(new float[] {1, 2, 2}), m.create(new float[] {1, 0, 0}));
    assertArrayEquals(new float[] {0.942809f, -0.235702f, -0.235702f}, g.toFloatArray(), 5e-7f);
  }

  @Test
  void learningRateScheduleWarmsUpAndDecaysToTenPercent() {
    LrSchedule s = new LrSchedule(1e-3, 10, 110, 0.1);
    assertEquals(1e-4, s.lr(0), 1e-15);
    assertEquals(1e-3, s.lr(9), 1e-15);
    assertEquals(1e-3, s.lr(10), 1e-15);
    assertEquals(0.55e-3, s.lr(60), 1e-12);
    assertEquals(1e-4, s.lr(110), 1e-15);
    assertEquals(1e-4, s.lr(500), 1e-15);
  }
}
