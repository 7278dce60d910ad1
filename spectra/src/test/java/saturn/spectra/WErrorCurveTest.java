package saturn.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import saturn.ngram.CsrMatrix;

class WErrorCurveTest {
  static Spectrum spectrum(CsrMatrix w, int k) {
    return SpectraStage.compute(w, SpectraSpec.builder().setW(SpectraSpec.NOT_AN_ARTIFACT).optRank(k).optTolerance(1e-10).build(),
        new saturn.stage.Resources(2, 1L << 30), new saturn.stage.StageListener() {
          @Override
          public void note(String m) {
            System.out.println("  " + m);
          }
        });
  }

  /** methods.md §1.2: numpy default_rng(0).random((50, 30)), rows normalised; W_err(5) = 0.39592. */
  @Test
  void fiftyByThirtyCheckFromMethods() throws IOException {
    double[] d = new double[50 * 30];
    try (InputStream in = getClass().getResourceAsStream("rng0_50x30.txt")) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      int i = 0;
      for (String line : lines) {
        if (line.startsWith("#") || line.isBlank()) continue;
        for (String t : line.trim().split(" ")) d[i++] = Double.parseDouble(t);
      }
      assertEquals(1500, i);
    }
    for (int r = 0; r < 50; r++) {
      double s = 0;
      for (int c = 0; c < 30; c++) s += d[r * 30 + c];
      for (int c = 0; c < 30; c++) d[r * 30 + c] /= s;
    }
    Spectrum s = spectrum(RandomMatrices.fromDense(d, 50, 30), 30);
    assertEquals(0.39592, s.wError()[5], 5e-6);
  }

  @Test
  void curveStartsAtOneIsNonIncreasingAndReachesZeroAtFullRank() {
    long seed = RandomMatrices.seed("curveProperties");
    CsrMatrix w = RandomMatrices.sparse(new Random(seed), 120, 70, 0.2, 1.0);
    Spectrum s = spectrum(w, 1000); // clamped to 70
    assertEquals(70, s.rank());
    double[] we = s.wError();
    assertEquals(1.0, we[0], 0.0);
    for (int d = 1; d < we.length; d++) assertTrue(we[d] <= we[d - 1], "W_err increases at d = " + d);
    assertEquals(0.0, we[70], 1e-6);
    Map<String, Integer> first = s.firstRankBelow();
    for (Integer d : first.values()) assertTrue(d != null && d >= 1 && d <= 70);
  }

  @Test
  void thresholdsNotReachedAreNull() {
    double[] we = WErrorCurve.of(new double[] {1.0, 0.5}, 10.0);
    assertEquals(Math.sqrt(1 - 1.25 / 10), we[2], 1e-15);
    assertNull(WErrorCurve.firstRankBelow(we).get("0.6"));
    assertEquals(1, WErrorCurve.firstRankBelow(WErrorCurve.of(new double[] {3.0, 0.1}, 10.0)).get("0.6"));
  }
}
