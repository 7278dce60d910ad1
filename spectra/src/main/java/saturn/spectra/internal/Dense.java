package saturn.spectra.internal;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small dense kernels on ND4J's LAPACK path (never its {@code svd} custom op, which crashes the JVM). */
public final class Dense {
  private Dense() {}

  /**
   * Eigen-decomposition of a symmetric n × n matrix given column-major in {@code sym}. Returns ascending eigenvalues
   * in {@code valuesOut}; the eigenvectors are the columns of the returned f-order matrix. Divide and conquer
   * (LAPACKE_dsyevd on the OpenBLAS ND4J loads): ND4J's {@code syev} is the QL algorithm, whose eigenvectors cost
   * tens of minutes at n ≈ 7,000 (k = 4096) on one core; dsyevd does it with blocked, multithreaded BLAS.
   */
  public static INDArray symmetricEigen(double[] sym, int n, double[] valuesOut) {
    INDArray a = Nd4j.create(sym, new long[] {n, n}, 'f');
    INDArray w = Nd4j.create(DataType.DOUBLE, n);
    int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_COL_MAJOR, (byte) 'V', (byte) 'U', n,
        new DoublePointer(a.data().addressPointer()), n, new DoublePointer(w.data().addressPointer()));
    if (info != 0) throw new IllegalStateException("LAPACK dsyevd did not converge (info " + info + ") on a " + n + "x" + n + " matrix");
    double[] vals = w.data().asDouble();
    System.arraycopy(vals, 0, valuesOut, 0, n);
    w.close();
    return a;
  }

  /** Singular values (descending) of a dense m × n matrix given row-major: the reference for tests. */
  public static double[] singularValues(double[] rowMajor, int m, int n) {
    INDArray a = Nd4j.create(rowMajor, new long[] {m, n}, 'c').dup('f');
    INDArray s = Nd4j.create(DataType.DOUBLE, Math.min(m, n));
    Nd4j.getBlasWrapper().lapack().gesvd(a, s, null, null);
    double[] out = s.data().asDouble();
    a.close();
    s.close();
    return out;
  }
}
