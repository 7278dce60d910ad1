package saturn.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MetricsTest {
  static final long SEED = Long.getLong("tests.seed", 7L);
  static final String REPRO = " (reproduce with -Dtests.seed=" + SEED + ")";

  /** The O(n²) definition: mean of cos(h_i, h_j) over ordered pairs i ≠ j. */
  static double anisotropyByDefinition(float[] h, int n, int d) {
    double sum = 0;
    long pairs = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i == j) continue;
        double dot = 0, ni = 0, nj = 0;
        for (int k = 0; k < d; k++) {
          dot += (double) h[i * d + k] * h[j * d + k];
          ni += (double) h[i * d + k] * h[i * d + k];
          nj += (double) h[j * d + k] * h[j * d + k];
        }
        sum += dot / Math.sqrt(ni * nj);
        pairs++;
      }
    }
    return sum / pairs;
  }

  @Test
  void anisotropyFastFormulaMatchesPairwiseDefinition() {
    SplittableRandom r = new SplittableRandom(SEED);
    for (int trial = 0; trial < 30; trial++) {
      int n = 2 + r.nextInt(60), d = 1 + r.nextInt(40);
      float shift = (float) (r.nextDouble() * 3); // a common direction makes the set anisotropic
      float[] h = new float[n * d];
      for (int i = 0; i < h.length; i++) h[i] = (float) (r.nextGaussian() + (i % d == 0 ? shift : 0));
      assertEquals(anisotropyByDefinition(h, n, d), Anisotropy.meanPairwiseCosine(h, n, d), 1e-9,
          "n=" + n + " d=" + d + REPRO);
    }
  }

  @Test
  void anisotropyOfIdenticalAndOppositeDirections() {
    assertEquals(1.0, Anisotropy.meanPairwiseCosine(new float[] {1, 2, 2, 4, 3, 6}, 3, 2), 1e-12);
    assertEquals(-1.0, Anisotropy.meanPairwiseCosine(new float[] {1, 0, -1, 0}, 2, 2), 1e-12);
    assertTrue(Double.isNaN(Anisotropy.meanPairwiseCosine(new float[] {1, 0, 0, 0}, 2, 2)), "zero rows are left out");
  }

  @Test
  void singularEntropyOfUniformSpectrumIsLnD() {
    double[] s = new double[512];
    java.util.Arrays.fill(s, 3.5);
    assertEquals(6.2383, SingularSpectrum.entropy(s), 5e-5);
    assertEquals(Math.log(512), SingularSpectrum.entropy(s), 1e-12);
    assertEquals(1.0, SingularSpectrum.normalizedEntropy(s), 1e-12);
    assertEquals(512, SingularSpectrum.effectiveRank(s), 1e-9);
    double[] one = {5, 0, 0, 0};
    assertEquals(0, SingularSpectrum.entropy(one), 0);
    assertEquals(1, SingularSpectrum.effectiveRank(one), 0);
    double[] two = {1, 3};
    assertEquals(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), SingularSpectrum.entropy(two), 1e-15);
    assertEquals(1.0 / 3, SingularSpectrum.normalizedBySigma1(two, null)[0], 1e-15);
  }

  @Test
  void headSpectrumRecoversPlantedSingularValues() {
    SplittableRandom r = new SplittableRandom(SEED);
    int v = 300, d = 24;
    double[][] u = orthonormalColumns(v, d, r);
    double[][] w = orthonormalColumns(d, d, r);
    double[] sigma = new double[d];
    for (int i = 0; i < d; i++) sigma[i] = 10.0 * Math.pow(0.8, i);
    float[] head = new float[v * d];
    for (int i = 0; i < v; i++) {
      for (int j = 0; j < d; j++) {
        double x = 0;
        for (int k = 0; k < d; k++) x += u[i][k] * sigma[k] * w[j][k];
        head[i * d + j] = (float) x;
      }
    }
    double[] got = HeadSpectrum.singularValues(head, v, d);
    assertEquals(d, got.length);
    for (int i = 0; i < d; i++) assertEquals(sigma[i], got[i], 1e-4 * sigma[0], "sigma_" + i + REPRO);
    // fewer rows than d (padded rows excluded from a tiny head): min(rows, d) values, of the leading rows only
    double[] top = HeadSpectrum.singularValues(head, 5, d);
    assertEquals(5, top.length);
    assertTrue(top[0] >= top[4]);
  }

  @Test
  void softmaxCollapseThresholdsPerPrecision() {
    double[][] cases = {{7.60, 7.65, 16}, {16.60, 16.68, 32}, {36.70, 36.78, 64}};
    for (double[] c : cases) {
      Precision p = Precision.ofBits((int) c[2]);
      SoftmaxCollapse.Row below = SoftmaxCollapse.evaluate(new float[] {(float) c[0], 0f}, 0, 2, 0, p);
      SoftmaxCollapse.Row above = SoftmaxCollapse.evaluate(new float[] {(float) c[1], 0f}, 0, 2, 0, p);
      assertFalse(below.collapsed(), p + " at " + c[0]);
      assertFalse(below.zeroLoss(), p + " at " + c[0]);
      assertTrue(above.collapsed(), p + " at " + c[1]);
      assertTrue(above.zeroLoss(), p + " at " + c[1]);
      SoftmaxCollapse.Row wrongLabel = SoftmaxCollapse.evaluate(new float[] {(float) c[1], 0f}, 0, 2, 1, p);
      assertTrue(wrongLabel.collapsed());
      assertFalse(wrongLabel.zeroLoss(), "the loss of a non-top label is never 0");
    }
  }

  @Test
  void manySmallTermsTogetherPreventCollapse() {
    float[] z = new float[20001];
    z[0] = 9f; // e^-9 = 1.2e-4 < half-ulp(1) in fp16 alone, but 20,000 of them sum to 2.5
    assertFalse(SoftmaxCollapse.evaluate(z, 0, z.length, 0, Precision.FP16).collapsed());
  }

  @Test
  void halfRoundingMatchesBinary16() {
    assertEquals(7.6015625, Precision.half(7.6), 0);
    assertEquals(65504, Precision.half(65504), 0);
    assertEquals(Double.POSITIVE_INFINITY, Precision.half(65520), 0);
    assertEquals(Math.scalb(1.0, -24), Precision.half(Math.scalb(1.0, -24)), 0);
    assertEquals(0, Precision.half(Math.scalb(1.0, -26)), 0);
    assertEquals(1.0, Precision.half(1 + Math.scalb(1.0, -11)), 0, "tie to even");
    assertEquals(1 + Math.scalb(1.0, -9), Precision.half(1 + 3 * Math.scalb(1.0, -11)), 0, "tie to even (up)");
  }

  @Test
  void crossEntropyMatchesDirectDefinition() {
    float[] z = {-2, -1, 0, 1, 2};
    assertEquals(0.451914, CrossEntropy.of(z, 0, 5, 4), 1e-6); // methods.md §2 softmax CE for label 4
    SplittableRandom r = new SplittableRandom(SEED);
    float[] big = new float[1000];
    for (int i = 0; i < big.length; i++) big[i] = (float) (r.nextGaussian() * 5);
    double den = 0;
    for (float x : big) den += Math.exp(x);
    assertEquals(-Math.log(Math.exp(big[17]) / den), CrossEntropy.of(big, 0, 1000, 17), 1e-9, REPRO);
  }

  static double[][] orthonormalColumns(int rows, int cols, SplittableRandom r) {
    double[][] q = new double[rows][cols];
    for (int j = 0; j < cols; j++) {
      double[] v = new double[rows];
      for (int i = 0; i < rows; i++) v[i] = r.nextGaussian();
      for (int k = 0; k < j; k++) {
        double dot = 0;
        for (int i = 0; i < rows; i++) dot += v[i] * q[i][k];
        for (int i = 0; i < rows; i++) v[i] -= dot * q[i][k];
      }
      double nn = 0;
      for (double x : v) nn += x * x;
      nn = Math.sqrt(nn);
      for (int i = 0; i < rows; i++) q[i][j] = v[i] / nn;
    }
    return q;
  }

  @Test
  void fusedTokenStatsAgreeWithSeparateRoutines() {
    SplittableRandom r = new SplittableRandom(SEED);
    double[] out = new double[7];
    for (int trial = 0; trial < 400; trial++) {
      int v = 2 + r.nextInt(300);
      float[] z = new float[v];
      for (int i = 0; i < v; i++) z[i] = (float) (r.nextGaussian() * 3);
      int top = r.nextInt(v);
      z[top] += (float) (r.nextDouble() * 45); // sweeps the gap across all three thresholds
      int label = r.nextBoolean() ? top : r.nextInt(v);
      SoftmaxCollapse.tokenStats(z, 0, v, label, out);
      double[] fl = new double[6];
      SoftmaxCollapse.flags(z, 0, v, label, fl);
      for (int k = 0; k < 6; k++) assertEquals(out[1 + k], fl[k], "flag " + k + " trial " + trial + REPRO);
      assertEquals(CrossEntropy.of(z, 0, v, label), out[0], 1e-9 * Math.max(1, out[0]), REPRO);
      Precision[] ps = {Precision.FP64, Precision.FP32, Precision.FP16};
      for (int p = 0; p < 3; p++) {
        SoftmaxCollapse.Row row = SoftmaxCollapse.evaluate(z, 0, v, label, ps[p]);
        assertEquals(row.collapsed() ? 1.0 : 0.0, out[1 + 2 * p], ps[p] + " trial " + trial + REPRO);
        assertEquals(row.zeroLoss() ? 1.0 : 0.0, out[2 + 2 * p], ps[p] + " trial " + trial + REPRO);
      }
    }
  }
}
