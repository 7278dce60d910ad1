package saturn.eval.format;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Writes a {@link Table} as {@code <kind>.arrow} and {@code <kind>.csv} into a directory. */
public final class TableWriter {
  private TableWriter() {}

  /** Writes both files; returns the Arrow file. */
  public static Path write(Table t, Path dir) throws IOException {
    Path arrow = dir.resolve(t.kind() + ".arrow");
    writeArrow(t, arrow);
    writeCsv(t, dir.resolve(t.kind() + ".csv"));
    return arrow;
  }

  public static void writeArrow(Table t, Path file) throws IOException {
    List<Field> fields = new ArrayList<>();
    for (Table.Column c : t.columns()) fields.add(new Field(c.name(), FieldType.nullable(arrowType(c.type())), null));
    Schema schema = new Schema(fields, Map.of(EvalTableFormat.META_FORMAT, EvalTableFormat.FORMAT_NAME,
        EvalTableFormat.META_KIND, t.kind(), EvalTableFormat.META_VERSION, Integer.toString(EvalTableFormat.VERSION_CURRENT)));
    try (BufferAllocator alloc = new RootAllocator();
         VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc);
         FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
         ArrowFileWriter w = new ArrowFileWriter(root, null, ch)) {
      int n = t.rows();
      List<Table.Column> cols = t.columns();
      for (int ci = 0; ci < cols.size(); ci++) {
        FieldVector v = root.getVector(ci);
        v.setInitialCapacity(n);
        v.allocateNew();
        List<Object> vals = cols.get(ci).values();
        for (int r = 0; r < n; r++) {
          Object x = vals.get(r);
          if (x == null) {
            v.setNull(r);
            continue;
          }
          switch (cols.get(ci).type()) {
            case STRING: ((VarCharVector) v).setSafe(r, x.toString().getBytes(StandardCharsets.UTF_8)); break;
            case LONG: ((BigIntVector) v).setSafe(r, (Long) x); break;
            case DOUBLE: ((Float8Vector) v).setSafe(r, (Double) x); break;
            default: ((BitVector) v).setSafe(r, ((Boolean) x) ? 1 : 0);
          }
        }
        v.setValueCount(n);
      }
      root.setRowCount(n);
      w.start();
      w.writeBatch();
      w.end();
    }
  }

  public static void writeCsv(Table t, Path file) throws IOException {
    List<Table.Column> cols = t.columns();
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
         CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
             .setHeader(cols.stream().map(Table.Column::name).toArray(String[]::new)).setRecordSeparator("\n").build())) {
      for (int r = 0; r < t.rows(); r++) {
        List<Object> row = new ArrayList<>(cols.size());
        for (Table.Column c : cols) {
          Object x = c.values().get(r);
          row.add(x == null ? "" : x instanceof Double ? repr((Double) x) : x);
        }
        p.printRecord(row);
      }
    }
  }

  /** Shortest round-trip decimal; NaN and infinities as pandas writes them. */
  static String repr(double d) {
    if (Double.isNaN(d)) return "nan";
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    return Double.toString(d);
  }

  static ArrowType arrowType(Table.Type t) {
    switch (t) {
      case STRING: return ArrowType.Utf8.INSTANCE;
      case LONG: return new ArrowType.Int(64, true);
      case DOUBLE: return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      default: return ArrowType.Bool.INSTANCE;
    }
  }
}
