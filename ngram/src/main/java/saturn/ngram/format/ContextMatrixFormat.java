package saturn.ngram.format;

/**
 * W as Arrow IPC files (readable by pyarrow), CSR layout, row i = context i:
 * <ul>
 *   <li>{@value #MATRIX_FILE}: columns {@code cols} (int32, column = next token id) and {@code probs} (float32,
 *       P(next | context)), nnz rows in total, row-major, column ids increasing within a row; schema metadata
 *       {@code saturn.cols} (the vocabulary size, W's column count);
 *   <li>{@value #ROW_OFFSETS_FILE}: column {@code row_offsets} (int64), rows + 1 values from 0 to nnz;
 *   <li>{@value #CONTEXTS_FILE}: columns {@code t1 .. t<order-1>} (uint32, the context's token ids) and
 *       {@code count} (int64, the context's total count = the row's denominator).
 * </ul>
 * In Python: {@code scipy.sparse.csr_matrix((probs, cols, row_offsets), shape=(rows, vocab))}. Checksums: the
 * artifact manifest's sha256 of each file (Arrow IPC has none of its own).
 */
public final class ContextMatrixFormat {
  public static final String FORMAT_NAME = "saturn-context-matrix";
  public static final int FORMAT_VERSION = 1;
  public static final String MATRIX_FILE = "W.arrow";
  public static final String ROW_OFFSETS_FILE = "W_row_offsets.arrow";
  public static final String CONTEXTS_FILE = "contexts.arrow";
  public static final String META_COLS = "saturn.cols";
  static final int BATCH = 1 << 20;

  private ContextMatrixFormat() {}
}
