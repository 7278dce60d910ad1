package saturn.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import saturn.ngram.CsrMatrix;
import saturn.spectra.internal.BlockKrylovSvd;
import saturn.spectra.internal.Dense;
import saturn.spectra.internal.DenseGramSvd;
import saturn.spectra.internal.GramOperator;
import saturn.spectra.internal.SolverSettings;
import saturn.spectra.internal.SvdResult;
import saturn.spectra.internal.TruncatedSvd;

/** One conformance suite for every solver: each case runs against a dense LAPACK SVD of the same matrix. */
class SolverConformanceTest {
  static final SolverSettings TIGHT = new SolverSettings(1e-10, 200, 8, 8, 42);

  static Stream<Arguments> solvers() {
    return Stream.of(Arguments.of(new BlockKrylovSvd()), Arguments.of(new DenseGramSvd()));
  }

  static double[] sigmas(CsrMatrix w, SvdResult r) {
    double f2 = w.frobeniusNormSquared();
    double[] s = new double[r.lambda().length];
    for (int i = 0; i < s.length; i++) s[i] = Math.sqrt(r.lambda()[i] * f2);
    return s;
  }

  static SvdResult solve(TruncatedSvd solver, CsrMatrix w, int k, int threads) {
    try (GramOperator op = new GramOperator(w, w.frobeniusNormSquared(), threads)) {
      return solver.solve(op, k, TIGHT);
    }
  }

  @ParameterizedTest
  @MethodSource("solvers")
  void topSingularValuesMatchDenseSvd(TruncatedSvd solver) {
    long seed = RandomMatrices.seed("topSingularValuesMatchDenseSvd[" + solver.name() + "]");
    Random rnd = new Random(seed);
    for (int trial = 0; trial < 3; trial++) {
      int rows = 150 + rnd.nextInt(250);
      int cols = 120 + rnd.nextInt(120);
      CsrMatrix w = RandomMatrices.sparse(rnd, rows, cols, 0.05 + 0.1 * rnd.nextDouble(), 1.0);
      int k = 5 + rnd.nextInt(20);
      double[] ref = Dense.singularValues(RandomMatrices.toDense(w), rows, cols);
      SvdResult r = solve(solver, w, k, 2);
      double[] got = sigmas(w, r);
      for (int i = 0; i < k; i++) {
        double rel = Math.abs(got[i] - ref[i]) / ref[i];
        assertTrue(rel <= 1e-6, "seed " + seed + " trial " + trial + " σ_" + (i + 1) + ": " + got[i] + " vs dense " + ref[i]
            + " (rel " + rel + ")");
        assertTrue(r.relativeError()[i] <= 1e-6, "reported bound " + r.relativeError()[i]);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("solvers")
  void rankDeficientMatrixGivesZerosBeyondTheRank(TruncatedSvd solver) {
    long seed = RandomMatrices.seed("rankDeficient[" + solver.name() + "]");
    Random rnd = new Random(seed);
    int rank = 7;
    CsrMatrix w = RandomMatrices.lowRank(rnd, 300, 200, rank);
    double[] ref = Dense.singularValues(RandomMatrices.toDense(w), 300, 200);
    int k = 20;
    double[] got = sigmas(w, solve(solver, w, k, 2));
    for (int i = 0; i < rank; i++) {
      assertEquals(ref[i], got[i], 1e-6 * ref[i], "seed " + seed + " σ_" + (i + 1));
    }
    // float storage makes W only numerically rank 7; the Gram route resolves σ down to ~sqrt(eps)·σ_1
    for (int i = rank; i < k; i++) assertTrue(got[i] <= 1e-6 * got[0], "seed " + seed + " σ_" + (i + 1) + " = " + got[i]);
  }

  @ParameterizedTest
  @MethodSource("solvers")
  void tinyValuesAreScaleInvariant(TruncatedSvd solver) {
    long seed = RandomMatrices.seed("tinyValues[" + solver.name() + "]");
    CsrMatrix one = RandomMatrices.sparse(new Random(seed), 200, 150, 0.1, 1.0);
    CsrMatrix tiny = RandomMatrices.sparse(new Random(seed), 200, 150, 0.1, 1e-30);
    double[] a = sigmas(one, solve(solver, one, 10, 2));
    double[] b = sigmas(tiny, solve(solver, tiny, 10, 2));
    double[] ref = Dense.singularValues(RandomMatrices.toDense(tiny), 200, 150);
    for (int i = 0; i < 10; i++) {
      assertTrue(b[i] > 0, "σ_" + (i + 1) + " underflowed");
      assertEquals(ref[i], b[i], 1e-6 * ref[i], "seed " + seed + " σ_" + (i + 1) + " of the 1e-30 matrix");
      assertEquals(a[i] * 1e-30, b[i], 1e-5 * b[i], "seed " + seed + " scaling");
    }
  }

  @ParameterizedTest
  @MethodSource("solvers")
  void resultDoesNotDependOnThreadCount(TruncatedSvd solver) {
    long seed = RandomMatrices.seed("threadCount[" + solver.name() + "]");
    CsrMatrix w = RandomMatrices.sparse(new Random(seed), 400, 260, 0.05, 1.0);
    SvdResult one = solve(solver, w, 12, 1);
    for (int threads : new int[] {2, 3, 5}) {
      SvdResult many = solve(solver, w, 12, threads);
      org.junit.jupiter.api.Assertions.assertArrayEquals(one.lambda(), many.lambda(), 0.0,
          "seed " + seed + ": " + threads + " threads changed the result");
    }
  }

  @ParameterizedTest
  @MethodSource("solvers")
  void fullRankMatchesEveryDenseSingularValue(TruncatedSvd solver) {
    long seed = RandomMatrices.seed("fullRank[" + solver.name() + "]");
    CsrMatrix w = RandomMatrices.sparse(new Random(seed), 90, 60, 0.3, 1.0);
    double[] ref = Dense.singularValues(RandomMatrices.toDense(w), 90, 60);
    // the Krylov subspace would be all of R^60 here; the stage uses the dense solver for such shapes
    org.junit.jupiter.api.Assumptions.assumeFalse(solver instanceof BlockKrylovSvd, "krylov needs n > its subspace");
    double[] got = sigmas(w, solve(solver, w, 60, 2));
    for (int i = 0; i < 60; i++) assertEquals(ref[i], got[i], 1e-6 * ref[0], "seed " + seed + " σ_" + (i + 1));
  }

  @org.junit.jupiter.api.Test
  void krylovRestartsAndStillConverges() {
    long seed = RandomMatrices.seed("krylovRestarts");
    CsrMatrix w = RandomMatrices.sparse(new Random(seed), 2000, 600, 0.01, 1.0);
    SvdResult r = solve(new BlockKrylovSvd(), w, 16, 2);
    assertTrue(r.cycles() > 1, "expected at least one restart, got " + r.cycles() + " cycles");
    assertTrue(r.converged());
    double[] ref = Dense.singularValues(RandomMatrices.toDense(w), 2000, 600);
    double[] got = sigmas(w, r);
    for (int i = 0; i < 16; i++) assertEquals(ref[i], got[i], 1e-6 * ref[i], "seed " + seed + " σ_" + (i + 1));
  }
}
