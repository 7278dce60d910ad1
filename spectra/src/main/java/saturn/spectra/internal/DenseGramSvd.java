package saturn.spectra.internal;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exact solver for small operators: forms A = WᵀW/||W||_F² densely (n × n, by applying the sparse kernel to identity
 * blocks) and calls LAPACK syev. Cost O(nnz·n + n³); used when the vocabulary actually present is small or k is close
 * to it, and as a second solver in the conformance suite.
 */
public final class DenseGramSvd implements TruncatedSvd {
  /** Largest operator dimension this solver accepts (n² doubles twice, n³ flops). */
  public static final int MAX_DIMENSION = 12_000;

  @Override
  public String name() {
    return "dense";
  }

  public static long workingBytes(int n) {
    return 8L * n * n * 2 + 8L * n * 256 * 2;
  }

  @Override
  public SvdResult solve(GramOperator op, int k, SolverSettings s) {
    int n = op.dimension();
    if (n > MAX_DIMENSION) throw new IllegalArgumentException("dense solver: " + n + " non-empty columns is above its limit "
        + MAX_DIMENSION + "; use --solver krylov");
    long t0 = System.nanoTime();
    double[] g = new double[n * n];
    int bw = Math.min(n, 256);
    double[] x = new double[n * bw];
    double[] z = new double[n * bw];
    for (int c0 = 0; c0 < n; c0 += bw) {
      int w = Math.min(bw, n - c0);
      java.util.Arrays.fill(x, 0.0);
      for (int t = 0; t < w; t++) x[(c0 + t) * w + t] = 1.0;
      op.apply(x, z, w);
      // z is n × w row-major: column c0+t of G is z[j*w + t]; store column-major.
      for (int j = 0; j < n; j++) for (int t = 0; t < w; t++) g[(c0 + t) * n + j] = z[j * w + t];
    }
    // symmetrise what rounding left unsymmetric, so syev's choice of triangle does not matter
    for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) {
      double v = 0.5 * (g[i * n + j] + g[j * n + i]);
      g[i * n + j] = v;
      g[j * n + i] = v;
    }
    double sparse = (System.nanoTime() - t0) / 1e9;
    double[] vals = new double[n];
    INDArray vecs = Dense.symmetricEigen(g, n, vals);
    vecs.close();
    double[] lambda = new double[k];
    double[] err = new double[k];
    double top = Math.max(vals[n - 1], Double.MIN_NORMAL);
    // syev is backward stable: |θ − λ| ≲ n·eps·||A||; forming A adds a comparable error.
    double abs = 4.0 * n * Math.ulp(1.0) * top;
    for (int i = 0; i < k; i++) {
      lambda[i] = Math.max(vals[n - 1 - i], 0.0);
      err[i] = lambda[i] > 0 ? Math.min(1.0, abs / lambda[i]) : 1.0;
    }
    return new SvdResult(lambda, err, 1, n, true, 0, n, sparse, (System.nanoTime() - t0) / 1e9 - sparse);
  }
}
