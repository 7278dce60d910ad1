package saturn.spectra.internal;

import java.util.Arrays;
import java.util.SplittableRandom;
import saturn.ngram.CsrMatrix;

/**
 * A generated stand-in for W used by the benchmark: rows are probability distributions over a vocabulary whose column
 * frequencies follow a Zipf law (exponent 1.1, as token frequencies roughly do), row lengths drawn so that the
 * matrix has the requested number of stored entries. Deterministic for a seed.
 */
public final class SyntheticMatrix {
  private SyntheticMatrix() {}

  public static CsrMatrix zipfRows(int rows, int cols, long nnzTarget, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    // cumulative Zipf weights for inverse-CDF sampling
    double[] cdf = new double[cols];
    double acc = 0;
    for (int c = 0; c < cols; c++) {
      acc += 1.0 / Math.pow(c + 1, 1.1);
      cdf[c] = acc;
    }
    for (int c = 0; c < cols; c++) cdf[c] /= acc;
    int mean = (int) Math.max(1, nnzTarget / rows);
    long[] off = new long[rows + 1];
    int[] len = new int[rows];
    long total = 0;
    for (int r = 0; r < rows; r++) {
      // lengths 1 .. 2*mean-1, mean `mean`
      len[r] = 1 + rnd.nextInt(2 * mean - 1);
      total += len[r];
    }
    if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("too many entries for one CSR array: " + total);
    int[] colIds = new int[(int) total];
    float[] values = new float[(int) total];
    int[] buf = new int[4 * mean + 8];
    long pos = 0;
    for (int r = 0; r < rows; r++) {
      int want = len[r];
      int got = 0;
      while (got < want) {
        int c = Arrays.binarySearch(cdf, rnd.nextDouble());
        c = c < 0 ? -c - 1 : c;
        if (c >= cols) c = cols - 1;
        boolean dup = false;
        for (int i = 0; i < got; i++) if (buf[i] == c) { dup = true; break; }
        if (!dup) buf[got++] = c;
      }
      Arrays.sort(buf, 0, got);
      double sum = 0;
      int p0 = (int) pos;
      for (int i = 0; i < got; i++) {
        colIds[p0 + i] = buf[i];
        double v = rnd.nextDouble() + 1e-3;
        values[p0 + i] = (float) v;
        sum += v;
      }
      for (int i = 0; i < got; i++) values[p0 + i] = (float) (values[p0 + i] / sum);
      pos += got;
      off[r + 1] = pos;
    }
    return new CsrMatrix(rows, cols, off, colIds, values);
  }
}
