package saturn.spectra.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import saturn.ngram.CsrMatrix;

/**
 * The normalised Gram operator A = WᵀW / ||W||_F² of a CSR matrix, restricted to the columns that hold at least one
 * entry (all-zero columns add only zero singular values). Eigenvalues of A are σ_i² / ||W||_F², in [0, 1], summing to 1.
 *
 * <p>{@link #apply} computes A·X for a dense block X (n × b, row-major) with a hand-written multi-threaded kernel.
 * Why it is fast: one pass over the CSR arrays computes y_r = W_r·X and immediately scatters Wᵣᵀ·y_r back (fused
 * WᵀW, no rows × b intermediate); rows of X and Z are contiguous b-wide panels, so each stored entry costs two
 * unit-stride loops that the JIT vectorises; each thread owns a column panel of the output, so there are no
 * atomics, no per-thread copies of Z and no reduction. Why it is deterministic: every output element is summed in
 * CSR order by exactly one thread, so the result is bitwise identical for any thread count.
 */
public final class GramOperator implements AutoCloseable {
  private final CsrMatrix w;
  private final int[] compactOf; // original column id -> compact id, -1 when the column is empty
  private final int[] originalOf; // compact id -> original column id
  private final double frobeniusSquared;
  private final long zeroRows;
  private final int threads;
  private final ExecutorService pool;

  public GramOperator(CsrMatrix w, double frobeniusSquared, int threads) {
    this.w = w;
    this.threads = Math.max(1, threads);
    this.frobeniusSquared = frobeniusSquared;
    compactOf = new int[w.cols()];
    java.util.Arrays.fill(compactOf, -1);
    for (int c : w.colIds()) compactOf[c] = 0;
    int n = 0;
    for (int c = 0; c < compactOf.length; c++) if (compactOf[c] == 0) compactOf[c] = n++;
    originalOf = new int[n];
    for (int c = 0; c < compactOf.length; c++) if (compactOf[c] >= 0) originalOf[compactOf[c]] = c;
    long zr = 0;
    long[] off = w.rowOffsets();
    for (int r = 0; r < w.rows(); r++) if (off[r] == off[r + 1]) zr++;
    zeroRows = zr;
    pool = this.threads > 1 ? Executors.newFixedThreadPool(this.threads, runnable -> {
      Thread t = new Thread(runnable, "spectra-spmm");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  /** Dimension n of the operator: the number of non-empty columns of W. */
  public int dimension() {
    return originalOf.length;
  }

  public long zeroRows() {
    return zeroRows;
  }

  public double frobeniusSquared() {
    return frobeniusSquared;
  }

  public int threads() {
    return threads;
  }

  /**
   * Z = A·X. Input x: n × b row-major (element (j, c) at j*b + c); output z: same shape, overwritten. Both caller-owned.
   */
  public void apply(double[] x, double[] z, int b) {
    int n = dimension();
    if (x.length < (long) n * b || z.length < (long) n * b) throw new IllegalArgumentException("block buffers too small");
    java.util.Arrays.fill(z, 0, n * b, 0.0);
    int parts = Math.min(threads, b);
    if (parts <= 1 || pool == null) {
      panel(x, z, b, 0, b);
    } else {
      List<Future<?>> fs = new ArrayList<>(parts);
      for (int p = 0; p < parts; p++) {
        int c0 = (int) ((long) b * p / parts);
        int c1 = (int) ((long) b * (p + 1) / parts);
        fs.add(pool.submit(() -> panel(x, z, b, c0, c1)));
      }
      for (Future<?> f : fs) {
        try {
          f.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("sparse kernel failed: " + e.getCause(), e.getCause());
        }
      }
    }
    double inv = 1.0 / frobeniusSquared;
    for (int i = 0, len = n * b; i < len; i++) z[i] *= inv;
  }

  private void panel(double[] x, double[] z, int b, int c0, int c1) {
    int width = c1 - c0;
    double[] y = new double[width];
    long[] off = w.rowOffsets();
    int[] cols = w.colIds();
    float[] vals = w.values();
    int[] cmap = compactOf;
    for (int r = 0, rows = w.rows(); r < rows; r++) {
      int s = (int) off[r];
      int e = (int) off[r + 1];
      if (s == e) continue;
      java.util.Arrays.fill(y, 0.0);
      for (int p = s; p < e; p++) {
        double v = vals[p];
        int base = cmap[cols[p]] * b + c0;
        for (int t = 0; t < width; t++) y[t] += v * x[base + t];
      }
      for (int p = s; p < e; p++) {
        double v = vals[p];
        int base = cmap[cols[p]] * b + c0;
        for (int t = 0; t < width; t++) z[base + t] += v * y[t];
      }
    }
  }

  @Override
  public void close() {
    if (pool != null) pool.shutdownNow();
  }
}
