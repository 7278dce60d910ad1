package saturn.spectra;

import java.util.Random;
import saturn.ngram.CsrMatrix;

/** Random sparse test matrices; every test draws from one seeded source and prints the seed. */
final class RandomMatrices {
  private RandomMatrices() {}

  static long seed(String test) {
    String prop = System.getProperty("tests.seed");
    long seed = prop != null ? Long.parseLong(prop) : new Random().nextLong();
    System.out.println(test + ": seed " + seed + " (reproduce with -Dtests.seed=" + seed + ")");
    return seed;
  }

  /** rows × cols with each entry present with probability density, uniform values in [0, 1) times scale. */
  static CsrMatrix sparse(Random rnd, int rows, int cols, double density, double scale) {
    long[] off = new long[rows + 1];
    java.util.List<Integer> cs = new java.util.ArrayList<>();
    java.util.List<Float> vs = new java.util.ArrayList<>();
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        if (rnd.nextDouble() < density) {
          cs.add(c);
          vs.add((float) (rnd.nextDouble() * scale));
        }
      }
      off[r + 1] = cs.size();
    }
    return fromLists(rows, cols, off, cs, vs);
  }

  /** Rank-r matrix: sum of r sparse-ish outer products with non-negative factors. */
  static CsrMatrix lowRank(Random rnd, int rows, int cols, int rank) {
    double[][] a = new double[rows][rank];
    double[][] b = new double[rank][cols];
    for (double[] row : a) for (int j = 0; j < rank; j++) row[j] = rnd.nextDouble() < 0.5 ? rnd.nextDouble() : 0;
    for (double[] row : b) for (int j = 0; j < cols; j++) row[j] = rnd.nextDouble() < 0.5 ? rnd.nextDouble() : 0;
    double[] dense = new double[rows * cols];
    for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) {
      double s = 0;
      for (int t = 0; t < rank; t++) s += a[r][t] * b[t][c];
      dense[r * cols + c] = s;
    }
    return fromDense(dense, rows, cols);
  }

  static CsrMatrix fromDense(double[] dense, int rows, int cols) {
    long[] off = new long[rows + 1];
    java.util.List<Integer> cs = new java.util.ArrayList<>();
    java.util.List<Float> vs = new java.util.ArrayList<>();
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        float v = (float) dense[r * cols + c];
        if (v != 0f) {
          cs.add(c);
          vs.add(v);
        }
      }
      off[r + 1] = cs.size();
    }
    return fromLists(rows, cols, off, cs, vs);
  }

  static double[] toDense(CsrMatrix w) {
    double[] d = new double[w.rows() * w.cols()];
    for (int r = 0; r < w.rows(); r++) {
      for (long p = w.rowOffsets()[r]; p < w.rowOffsets()[r + 1]; p++) {
        d[r * w.cols() + w.colIds()[(int) p]] = w.values()[(int) p];
      }
    }
    return d;
  }

  private static CsrMatrix fromLists(int rows, int cols, long[] off, java.util.List<Integer> cs, java.util.List<Float> vs) {
    int[] ci = new int[cs.size()];
    float[] vv = new float[vs.size()];
    for (int i = 0; i < ci.length; i++) {
      ci[i] = cs.get(i);
      vv[i] = vs.get(i);
    }
    return new CsrMatrix(rows, cols, off, ci, vv);
  }

}
