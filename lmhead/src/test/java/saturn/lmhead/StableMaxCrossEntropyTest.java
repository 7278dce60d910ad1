package saturn.lmhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import saturn.lmhead.engine.TorchRuntime;

/** The fused StableMax kernel against the libtorch autograd form it replaces in training. */
class StableMaxCrossEntropyTest {
  static Engine engine;
  static NDManager m;
  static ForkJoinPool pool;

  @BeforeAll
  static void setUp() {
    engine = TorchRuntime.engine(2);
    m = NDManager.newBaseManager("PyTorch");
    pool = new ForkJoinPool(2);
  }

  @AfterAll
  static void tearDown() {
    pool.shutdown();
    m.close();
  }

  @Test
  void lossAndGradientEqualTheAutogradForm() {
    for (boolean float64 : new boolean[] {true, false}) {
      Random rnd = new Random(7); // reproduce: seed 7
      int n = 37;
      int v = 1003;
      float[] z = new float[n * v];
      for (int i = 0; i < z.length; i++) z[i] = (float) (rnd.nextGaussian() * (i % 3 == 0 ? 30 : 2));
      z[0] = 0f;
      z[1] = -1e6f;
      z[2] = 1e4f;
      int[] y = new int[n];
      for (int i = 0; i < n; i++) y[i] = rnd.nextInt(v);
      y[0] = 1; // the far negative logit as target: a large loss, a large gradient

      NDArray a = m.create(z, new Shape(n, v));
      a.setRequiresGradient(true);
      double refLoss;
      float[] refGrad;
      try (GradientCollector gc = engine.newGradientCollector()) {
        NDArray l = Losses.stableMaxCrossEntropy(a, m.create(y), float64);
        gc.backward(l);
        refLoss = l.toType(DataType.FLOAT64, false).getDouble();
        refGrad = a.getGradient().toFloatArray();
      }

      NDArray b = m.create(z, new Shape(n, v));
      StableMaxCrossEntropy.Result r = StableMaxCrossEntropy.forwardBackward(b, y, float64, pool);
      float[] grad = r.gradient().toFloatArray();
      double tol = float64 ? 1e-12 : 2e-6;
      assertEquals(refLoss, r.loss(), tol * Math.abs(refLoss), "loss, float64=" + float64);
      for (int i = 0; i < grad.length; i++) {
        assertEquals(refGrad[i], grad[i], (float64 ? 1e-6 : 1e-5) * Math.abs(refGrad[i]) + 1e-12, "gradient " + i + ", float64=" + float64);
      }
    }
  }

  @Test
  void backwardWithTheKernelsGradientFillsTheSameParameterGradients() {
    Random rnd = new Random(11); // reproduce: seed 11
    int n = 16;
    int d = 8;
    int v = 301;
    float[] h = new float[n * d];
    float[] w = new float[v * d];
    for (int i = 0; i < h.length; i++) h[i] = (float) rnd.nextGaussian();
    for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
    int[] y = new int[n];
    for (int i = 0; i < n; i++) y[i] = rnd.nextInt(v);
    float[][] grads = new float[2][];
    for (int pass = 0; pass < 2; pass++) {
      NDArray x = m.create(h, new Shape(n, d));
      NDArray weight = m.create(w, new Shape(v, d));
      weight.setRequiresGradient(true);
      try (GradientCollector gc = engine.newGradientCollector()) {
        NDArray logits = x.matMul(weight.transpose());
        if (pass == 0) {
          gc.backward(Losses.stableMaxCrossEntropy(logits, m.create(y), true));
        } else {
          TorchRuntime.backward(logits, StableMaxCrossEntropy.forwardBackward(logits, y, true, pool).gradient());
        }
      }
      grads[pass] = weight.getGradient().toFloatArray();
    }
    for (int i = 0; i < grads[0].length; i++) assertEquals(grads[0][i], grads[1][i], 1e-5 * Math.abs(grads[0][i]) + 1e-9, "dW[" + i + "]");
  }

  @Test
  void resultsDoNotDependOnTheThreadCount() {
    Random rnd = new Random(3);
    float[] z = new float[64 * 500];
    for (int i = 0; i < z.length; i++) z[i] = (float) (rnd.nextGaussian() * 5);
    int[] y = new int[64];
    for (int i = 0; i < y.length; i++) y[i] = rnd.nextInt(500);
    ForkJoinPool one = new ForkJoinPool(1);
    try {
      StableMaxCrossEntropy.Result a = StableMaxCrossEntropy.forwardBackward(m.create(z, new Shape(64, 500)), y, true, one);
      StableMaxCrossEntropy.Result b = StableMaxCrossEntropy.forwardBackward(m.create(z, new Shape(64, 500)), y, true, pool);
      assertEquals(a.loss(), b.loss(), 0.0);
      org.junit.jupiter.api.Assertions.assertArrayEquals(a.gradient().toFloatArray(), b.gradient().toFloatArray());
    } finally {
      one.shutdown();
    }
  }

  @Test
  void collapseCandidatesGiveTheExactCollapseFraction() {
    // rows whose top logit leads by 0..40 over 999 others: fp32 collapse needs a lead of about 16.6 + ln 999 ≈ 23.5
    Random rnd = new Random(9); // reproduce: seed 9
    int n = 120;
    int v = 1000;
    float[] z = new float[n * v];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < v; j++) z[i * v + j] = (float) (rnd.nextGaussian() * (i % 2 == 0 ? 0.001 : 0.5));
      z[i * v + rnd.nextInt(v)] += 40f * i / n;
    }
    int[] y = new int[n];
    NDArray a = m.create(z, new Shape(n, v));
    StableMaxCrossEntropy.Result r = StableMaxCrossEntropy.forwardBackward(a, y, true, pool);
    double direct = Losses.softmaxCollapseFraction(a);
    assertTrue(direct > 0 && direct < 1, "some rows collapse, some do not: " + direct);
    assertTrue(r.collapseCandidates().length > 0 && r.collapseCandidates().length < n);
    assertEquals(direct, Losses.softmaxCollapseFraction(a, r.collapseCandidates()), 0);
  }

  @Test
  void zeroLossFractionCountsRowsWhoseLossIsExactlyZero() {
    // a target logit of 1e20 absorbs every other s(z) in float64: those rows' loss is exactly 0, as in the reference
    int n = 8;
    int v = 5;
    float[] z = new float[n * v];
    int[] y = new int[n];
    long[] yl = new long[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % v;
      yl[i] = y[i];
      for (int j = 0; j < v; j++) z[i * v + j] = j - 2f;
      if (i % 4 != 0) z[i * v + y[i]] = 1e20f;
    }
    NDArray a = m.create(z, new Shape(n, v));
    StableMaxCrossEntropy.Result r = StableMaxCrossEntropy.forwardBackward(a, y, true, pool);
    NDArray reference = Losses.perSampleLoss(HeadSpec.Loss.STABLEMAX, Losses.toFloat64(a), m.create(yl));
    assertEquals(0.75, r.zeroLossFraction(), 0);
    assertEquals(Losses.zeroLossFraction(reference), r.zeroLossFraction(), 0);
  }

  @Test
  void badTargetsAreRefused() {
    NDArray z = m.create(new float[6], new Shape(2, 3));
    assertThrows(IllegalArgumentException.class, () -> StableMaxCrossEntropy.forwardBackward(z, new int[] {0}, true, pool));
    assertThrows(IllegalArgumentException.class, () -> StableMaxCrossEntropy.forwardBackward(z, new int[] {0, 3}, true, pool));
  }
}
