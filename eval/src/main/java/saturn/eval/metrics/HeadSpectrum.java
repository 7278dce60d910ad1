package saturn.eval.metrics;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Singular values of an LM head (V×d, one row per vocabulary entry) through ND4J's LAPACK binding ({@code gesvd}
 * without U and Vᵀ). The libnd4j {@code svd} custom op is never used: it errors or crashes the JVM (stack.md).
 *
 * <p>Padded vocabulary rows (Pythia pads 50,277 → 50,304) are never targets; {@code rows} says how many leading rows
 * to take, so a caller decides explicitly whether they count.
 */
public final class HeadSpectrum {
  private HeadSpectrum() {}

  /**
   * @param head input: row-major V×d values ({@code head[r*d + c]}); not modified
   * @param rows input: how many leading rows to use (V, or the unpadded vocabulary size)
   * @param d input: hidden size
   * @return the min(rows, d) singular values, largest first, in double
   */
  public static double[] singularValues(float[] head, int rows, int d) {
    if (rows < 1 || d < 1) throw new IllegalArgumentException("head must be at least 1×1, got " + rows + "×" + d);
    if ((long) rows * d > head.length) {
      throw new IllegalArgumentException("head has " + head.length + " values, fewer than " + rows + "×" + d);
    }
    // The singular values of A and Aᵀ are equal, so LAPACK gets the row-major V×d buffer as a column-major d×V matrix:
    // no copy into Fortran order and the short side first (gesvd then works on a d×d bidiagonal problem).
    float[] copy = java.util.Arrays.copyOf(head, rows * d); // gesvd overwrites its input
    INDArray a = Nd4j.create(copy, new long[] {d, rows}, 'f');
    int k = Math.min(rows, d);
    INDArray s = Nd4j.create(DataType.FLOAT, k);
    Nd4j.getBlasWrapper().lapack().gesvd(a, s, null, null);
    double[] out = s.toDoubleVector();
    a.close();
    s.close();
    java.util.Arrays.sort(out);
    for (int i = 0, j = out.length - 1; i < j; i++, j--) {
      double t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }
}
