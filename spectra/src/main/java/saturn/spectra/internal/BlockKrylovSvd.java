package saturn.spectra.internal;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Block Krylov–Schur (thick-restarted block Lanczos with full reorthogonalisation) on A = WᵀW/||W||_F².
 *
 * <p>A cycle grows an orthonormal basis V of the block Krylov space block by block (b columns at a time: one sparse
 * product, two rounds of classical Gram–Schmidt against V, a rank-revealing orthonormalisation of the new block)
 * until it holds s columns; the projections H = VᵀAV are the Gram–Schmidt coefficients. Rayleigh–Ritz on H (LAPACK
 * syev) gives Ritz values θ_i and vectors y_i. Because A·V = V·H + V_next·C·E_lastᵀ, the residual of each Ritz pair
 * is ||A x − θ x|| = ||C·y_i(last block)||, free of charge; a symmetric matrix has an eigenvalue within that distance
 * of θ_i, so σ_i is within a relative ρ_i/θ_i of a true singular value. The cycle ends by keeping the best l Ritz
 * vectors and the next block (Krylov–Schur restart) until every one of the top k bounds is at most the tolerance.
 *
 * <p>Sizes: b = clamp(k/8, 16, 256) rounded up to a multiple of 8, l = k + max(b, k/10) rounded up to b, s = l +
 * max(b, l/2) rounded up to b. Memory ≈ 8·n·(s + 2l... ) bytes, see {@link #workingBytes}.
 */
public final class BlockKrylovSvd implements TruncatedSvd {
  /** Absolute size (A has norm ≤ 1) below which a new direction counts as already in the basis (deflation). */
  static final double DEFLATION = 1e-12;

  /** Resolved sizes for a problem. */
  public record Plan(int blockSize, int keep, int subspace) {
    /** Columns the basis is allocated with (subspace plus the pending block). */
    public int capacity() {
      return subspace + blockSize;
    }
  }

  @Override
  public String name() {
    return "krylov";
  }

  public static Plan plan(int n, int k, SolverSettings s) {
    int b = s.blockSize() > 0 ? s.blockSize() : roundUp(Math.max(16, Math.min(256, k / 8)), 8);
    int p = s.oversampling() > 0 ? s.oversampling() : Math.max(b, (int) Math.ceil(k * 0.1));
    int l = roundUp(k + p, b);
    int s1 = l + roundUp(Math.max(b, l / 2), b);
    return new Plan(b, l, s1);
  }

  /** True when the plan fits the operator (otherwise use the dense solver: the Krylov space would be all of R^n). */
  public static boolean fits(int n, Plan p) {
    return p.capacity() + p.blockSize() <= n;
  }

  /** Bytes this solver allocates besides W itself. */
  public static long workingBytes(int n, Plan p) {
    long cap = p.capacity();
    long b = p.blockSize();
    long s = p.subspace();
    return 8L * n * (cap + p.keep() + 6 * b) + 8L * s * s * 3;
  }

  @Override
  public SvdResult solve(GramOperator op, int k, SolverSettings st) {
    int n = op.dimension();
    Plan plan = plan(n, k, st);
    if (!fits(n, plan)) throw new IllegalArgumentException("krylov solver: subspace " + plan.capacity()
        + " does not fit in " + n + " non-empty columns; use the dense solver");
    final int b = plan.blockSize();
    final int l = plan.keep();
    final int smax = plan.subspace();
    Random rnd = new Random(st.seed());
    INDArray v = Nd4j.create(DataType.DOUBLE, new long[] {n, plan.capacity()}, 'f');
    double[] h = new double[smax * smax]; // column-major; H[i,j] valid where blockOf(i) <= blockOf(j)
    double[] x = new double[n * b];
    double[] z = new double[n * b];

    INDArray start = gaussian(n, b, rnd);
    INDArray q0 = orthonormalize(start, null, rnd, null);
    cols(v, 0, b).assign(q0);
    q0.close();
    start.close();

    int base = 0; // columns [0, base) are the kept Ritz vectors after a restart (H diagonal there)
    int nb = 0; // processed columns; [nb, nb + b) is the pending block
    double[] clast = null;
    long applied = 0;
    long spmmNanos = 0;
    long startNanos = System.nanoTime();
    double[] lambda = new double[k];
    double[] err = new double[k];
    boolean converged = false;
    int cycle = 0;
    while (true) {
      cycle++;
      while (nb < smax) {
        INDArray blk = cols(v, nb, nb + b).dup('c');
        System.arraycopy(blk.data().asDouble(), 0, x, 0, n * b);
        blk.close();
        long t0 = System.nanoTime();
        op.apply(x, z, b);
        spmmNanos += System.nanoTime() - t0;
        applied += b;
        INDArray zz = Nd4j.create(z, new long[] {n, b}, 'c').dup('f');
        INDArray vc = cols(v, 0, nb + b);
        INDArray coef = Nd4j.gemm(vc, zz, true, false);
        Nd4j.gemm(vc, coef, zz, false, false, -1.0, 1.0);
        INDArray coef2 = Nd4j.gemm(vc, zz, true, false);
        Nd4j.gemm(vc, coef2, zz, false, false, -1.0, 1.0);
        coef.addi(coef2);
        double[] cf = coef.dup('f').data().asDouble();
        int rowsC = nb + b;
        for (int t = 0; t < b; t++) System.arraycopy(cf, t * rowsC, h, (nb + t) * smax, rowsC);
        coef.close();
        coef2.close();
        double[][] cOut = new double[1][];
        INDArray q = orthonormalize(zz, vc, rnd, cOut);
        cols(v, nb + b, nb + 2 * b).assign(q);
        q.close();
        zz.close();
        clast = cOut[0];
        nb += b;
      }
      // Rayleigh–Ritz on the symmetric projection H[0:nb, 0:nb].
      double[] hs = new double[nb * nb];
      for (int c = 0; c < nb; c++) {
        for (int r = 0; r < nb; r++) {
          int br = blockOf(r, base, b);
          int bc = blockOf(c, base, b);
          double val;
          if (br < bc) val = h[c * smax + r];
          else if (br > bc) val = h[r * smax + c];
          else val = 0.5 * (h[c * smax + r] + h[r * smax + c]);
          hs[c * nb + r] = val;
        }
      }
      double[] theta = new double[nb];
      INDArray y = Dense.symmetricEigen(hs, nb, theta);
      double[] yv = y.data().asDouble(); // f-order nb × nb: column i at i*nb
      double top = Math.max(theta[nb - 1], Double.MIN_NORMAL);
      boolean allOk = true;
      for (int i = 0; i < k; i++) {
        int col = nb - 1 - i;
        double th = theta[col];
        double rho = residual(clast, yv, col, nb, b);
        lambda[i] = Math.max(th, 0.0);
        double bound = th > 0 ? Math.min(1.0, rho / th) : 1.0;
        err[i] = bound;
        boolean ok = bound <= st.tolerance() || rho <= 1e-14 * top;
        allOk &= ok;
      }
      if (allOk || cycle >= st.maxCycles()) {
        converged = allOk;
        y.close();
        break;
      }
      // Krylov–Schur restart: keep the best l Ritz vectors, then the pending block.
      INDArray yl = y.get(NDArrayIndex.all(), NDArrayIndex.interval(nb - l, nb)).dup('f');
      INDArray kept = Nd4j.gemm(cols(v, 0, nb), yl, false, false);
      cols(v, 0, l).assign(kept);
      cols(v, l, l + b).assign(cols(v, nb, nb + b).dup('f'));
      kept.close();
      yl.close();
      y.close();
      java.util.Arrays.fill(h, 0.0);
      for (int i = 0; i < l; i++) h[i * smax + i] = theta[nb - l + i];
      base = l;
      nb = l;
    }
    v.close();
    double total = (System.nanoTime() - startNanos) / 1e9;
    return new SvdResult(lambda, err, cycle, applied, converged, b, smax, spmmNanos / 1e9, total - spmmNanos / 1e9);
  }

  private static int blockOf(int i, int base, int b) {
    return i < base ? -1 : (i - base) / b;
  }

  /** ||C · y[last b rows]|| for eigenvector column {@code col}. C is b × b column-major. */
  private static double residual(double[] c, double[] y, int col, int nb, int b) {
    double s = 0;
    int off = col * nb + nb - b;
    for (int r = 0; r < b; r++) {
      double acc = 0;
      for (int t = 0; t < b; t++) acc += c[t * b + r] * y[off + t];
      s += acc * acc;
    }
    return Math.sqrt(s);
  }

  private static INDArray cols(INDArray v, int from, int to) {
    return v.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
  }

  private static INDArray gaussian(int n, int b, Random rnd) {
    double[] g = new double[n * b];
    for (int i = 0; i < g.length; i++) g[i] = rnd.nextGaussian();
    return Nd4j.create(g, new long[] {n, b}, 'f');
  }

  /**
   * Orthonormal basis Q (n × b) of the block Z (already orthogonal to {@code basis}), rank-revealing: directions of
   * Z smaller than {@link #DEFLATION} (the Krylov space became invariant there) are replaced by random directions
   * orthogonal to everything, so the block width stays b. When {@code couplingOut} is given, sets it to Qᵀ·Z
   * (b × b, column-major): the entries of H below the processed block.
   */
  static INDArray orthonormalize(INDArray zz, INDArray basis, Random rnd, double[][] couplingOut) {
    int n = (int) zz.rows();
    int b = (int) zz.columns();
    INDArray gram = Nd4j.gemm(zz, zz, true, false);
    double[] g = gram.dup('f').data().asDouble();
    gram.close();
    double[] ev = new double[b];
    INDArray p = Dense.symmetricEigen(g, b, ev);
    INDArray u = Nd4j.gemm(zz, p, false, false).dup('f'); // Z·P: orthogonal columns of norm sqrt(ev)
    p.close();
    for (int j = 0; j < b; j++) {
      double norm = Math.sqrt(Math.max(ev[j], 0.0));
      INDArray cj = u.getColumn(j);
      if (norm > DEFLATION) {
        cj.divi(norm);
      } else {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = rnd.nextGaussian();
        cj.assign(Nd4j.create(r, new long[] {n}, 'c').divi(Math.sqrt(n)));
      }
    }
    // Z was already orthogonalised against the basis twice; Z·P/σ_j keeps that unless σ_j is small next to the
    // largest (the loss of orthogonality grows like σ_max/σ_j) or a column was replaced by a random one.
    boolean reorth = ev[0] <= 1e-6 * ev[b - 1] || Math.sqrt(Math.max(ev[0], 0.0)) <= DEFLATION;
    if (basis != null && reorth) {
      for (int pass = 0; pass < 2; pass++) {
        INDArray c = Nd4j.gemm(basis, u, true, false);
        Nd4j.gemm(basis, c, u, false, false, -1.0, 1.0);
        c.close();
      }
    }
    INDArray rr = Nd4j.create(DataType.DOUBLE, new long[] {b, b}, 'f');
    Nd4j.getBlasWrapper().lapack().geqrf(u, rr);
    rr.close();
    if (couplingOut != null) {
      INDArray c = Nd4j.gemm(u, zz, true, false);
      couplingOut[0] = c.dup('f').data().asDouble();
      c.close();
    }
    return u;
  }

  private static int roundUp(int x, int m) {
    return (x + m - 1) / m * m;
  }
}
