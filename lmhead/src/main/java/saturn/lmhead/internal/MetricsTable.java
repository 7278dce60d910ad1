package saturn.lmhead.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;

/**
 * A table of numeric metrics, one row per step or epoch: the first column is an integer (step), the rest doubles
 * (NaN where not measured). Written as CSV (streamed, row by row) and as an Arrow IPC file
 * ({@code pyarrow.ipc.open_file(f).read_all().to_pandas()}).
 */
public final class MetricsTable {
  private final List<String> columns;
  private final List<double[]> rows = new ArrayList<>();

  public MetricsTable(List<String> columns) {
    this.columns = List.copyOf(columns);
  }

  public List<String> columns() {
    return columns;
  }

  public List<double[]> rows() {
    return rows;
  }

  public void add(double... row) {
    if (row.length != columns.size()) throw new IllegalArgumentException("row has " + row.length + " values, table " + columns.size());
    rows.add(row.clone());
  }

  /** Drops rows whose first column is >= {@code step} (used when a run resumes from a checkpoint). */
  public void truncateFrom(long step) {
    rows.removeIf(r -> r[0] >= step);
  }

  public static String format(double v) {
    if (Double.isNaN(v)) return "";
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return String.format(Locale.ROOT, "%.9g", v);
  }

  public void writeCsv(Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(String.join(",", columns));
      w.write('\n');
      for (double[] r : rows) w.write(csvLine(r));
    }
  }

  public String csvLine(double[] r) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < r.length; i++) {
      if (i > 0) b.append(',');
      b.append(format(r[i]));
    }
    return b.append('\n').toString();
  }

  /** Reads a CSV written by {@link #writeCsv} (empty fields are NaN). */
  public static MetricsTable readCsv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) throw new IOException(file + ": empty metrics file");
    MetricsTable t = new MetricsTable(Arrays.asList(lines.get(0).split(",")));
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) continue;
      String[] f = line.split(",", -1);
      double[] r = new double[t.columns.size()];
      for (int i = 0; i < r.length; i++) r[i] = i < f.length && !f[i].isEmpty() ? Double.parseDouble(f[i]) : Double.NaN;
      t.rows.add(r);
    }
    return t;
  }

  public void writeArrow(Path file) throws IOException {
    try (BufferAllocator alloc = new RootAllocator()) {
      List<FieldVector> vectors = new ArrayList<>();
      BigIntVector first = new BigIntVector(columns.get(0), alloc);
      first.allocateNew(rows.size());
      for (int i = 0; i < rows.size(); i++) first.set(i, (long) rows.get(i)[0]);
      first.setValueCount(rows.size());
      vectors.add(first);
      for (int c = 1; c < columns.size(); c++) {
        Float8Vector v = new Float8Vector(columns.get(c), alloc);
        v.allocateNew(rows.size());
        for (int i = 0; i < rows.size(); i++) {
          double x = rows.get(i)[c];
          if (Double.isNaN(x)) v.setNull(i);
          else v.set(i, x);
        }
        v.setValueCount(rows.size());
        vectors.add(v);
      }
      try (VectorSchemaRoot root = new VectorSchemaRoot(vectors);
          FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
          ArrowFileWriter w = new ArrowFileWriter(root, null, ch)) {
        root.setRowCount(rows.size());
        w.start();
        w.writeBatch();
        w.end();
      }
    }
  }
}
