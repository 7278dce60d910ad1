package saturn.ngram.format;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import saturn.ngram.CsrMatrix;

/**
 * Writes a CSR matrix in Matrix Market coordinate format ({@code scipy.io.mmread}, MATLAB, Julia, R's Matrix):
 * 1-based (row, column, value) lines in row-major order; each value as the shortest decimal that reads back as the
 * same float32.
 */
public final class MatrixMarketWriter {
  private MatrixMarketWriter() {}

  public static void write(CsrMatrix m, Path file, String comment) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      w.write("%%MatrixMarket matrix coordinate real general\n");
      if (comment != null) for (String l : comment.split("\n")) w.write("% " + l + "\n");
      w.write(m.rows() + " " + m.cols() + " " + m.nnz() + "\n");
      StringBuilder sb = new StringBuilder(64);
      for (int r = 0; r < m.rows(); r++) {
        for (long i = m.rowOffsets()[r]; i < m.rowOffsets()[r + 1]; i++) {
          sb.setLength(0);
          sb.append(r + 1).append(' ').append(m.colIds()[(int) i] + 1).append(' ').append(m.values()[(int) i]).append('\n');
          w.write(sb.toString());
        }
      }
    }
  }
}
