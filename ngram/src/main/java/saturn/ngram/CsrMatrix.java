package saturn.ngram;

import java.util.Objects;

/**
 * A sparse matrix in compressed sparse row form, as W is handed from the ngram stage to the spectra stage: row r's
 * entries are {@code colIds[rowOffsets[r] .. rowOffsets[r+1])} with values {@code values[...]}. Column ids within a
 * row are strictly increasing. The arrays are owned by the matrix and must not be modified.
 *
 * @param rows number of rows (contexts)
 * @param cols number of columns (the tokenizer's vocabulary size)
 * @param rowOffsets length rows + 1, non-decreasing, from 0 to nnz
 * @param colIds length nnz
 * @param values length nnz
 */
public record CsrMatrix(int rows, int cols, long[] rowOffsets, int[] colIds, float[] values) {

  public CsrMatrix {
    Objects.requireNonNull(rowOffsets, "rowOffsets");
    Objects.requireNonNull(colIds, "colIds");
    Objects.requireNonNull(values, "values");
    if (rows < 0 || cols < 0) throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
    if (rowOffsets.length != rows + 1) {
      throw new IllegalArgumentException("rowOffsets has " + rowOffsets.length + " entries, expected rows + 1 = " + (rows + 1));
    }
    if (colIds.length != values.length || rowOffsets[rows] != colIds.length || rowOffsets[0] != 0) {
      throw new IllegalArgumentException("inconsistent CSR: rowOffsets ends at " + rowOffsets[rows] + ", "
          + colIds.length + " column ids, " + values.length + " values");
    }
  }

  public long nnz() {
    return colIds.length;
  }

  /** Sum of squared entries, in double: ||W||_F^2 exactly from the stored entries. */
  public double frobeniusNormSquared() {
    double s = 0;
    for (float v : values) s += (double) v * v;
    return s;
  }
}
