package saturn.eval.format;

import java.io.IOException;
import java.nio.channels.FileChannel;
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
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import saturn.artifact.CorruptArtifactException;

/** Reads an eval table written by {@link TableWriter}; checks the format name, kind and version range. */
public final class TableReader {
  private TableReader() {}

  public static Table read(Path file, String expectedKind) throws IOException {
    try (BufferAllocator alloc = new RootAllocator();
         FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
         ArrowFileReader r = new ArrowFileReader(ch, alloc)) {
      VectorSchemaRoot root = r.getVectorSchemaRoot();
      Map<String, String> meta = root.getSchema().getCustomMetadata();
      if (meta == null || !EvalTableFormat.FORMAT_NAME.equals(meta.get(EvalTableFormat.META_FORMAT))) {
        throw new CorruptArtifactException(file, "not a saturn eval table (schema metadata lacks " + EvalTableFormat.META_FORMAT + ")");
      }
      int version;
      try {
        version = Integer.parseInt(meta.getOrDefault(EvalTableFormat.META_VERSION, "-1"));
      } catch (NumberFormatException e) {
        version = -1;
      }
      if (version < EvalTableFormat.VERSION_START || version > EvalTableFormat.VERSION_CURRENT) {
        throw new CorruptArtifactException(file, "eval table version " + version + " outside the readable range ["
            + EvalTableFormat.VERSION_START + ", " + EvalTableFormat.VERSION_CURRENT + "]; upgrade saturn");
      }
      String kind = meta.get(EvalTableFormat.META_KIND);
      if (expectedKind != null && !expectedKind.equals(kind)) {
        throw new CorruptArtifactException(file, "holds a '" + kind + "' table, expected '" + expectedKind + "'");
      }
      Table t = new Table(kind);
      List<List<Object>> values = new ArrayList<>();
      List<Table.Type> types = new ArrayList<>();
      for (FieldVector v : root.getFieldVectors()) {
        values.add(new ArrayList<>());
        types.add(typeOf(v, file));
      }
      for (ArrowBlock block : r.getRecordBlocks()) {
        r.loadRecordBatch(block);
        List<FieldVector> vs = root.getFieldVectors();
        for (int c = 0; c < vs.size(); c++) {
          FieldVector v = vs.get(c);
          for (int i = 0; i < root.getRowCount(); i++) {
            if (v.isNull(i)) {
              values.get(c).add(null);
              continue;
            }
            switch (types.get(c)) {
              case STRING: values.get(c).add(new String(((VarCharVector) v).get(i), java.nio.charset.StandardCharsets.UTF_8)); break;
              case LONG: values.get(c).add(((BigIntVector) v).get(i)); break;
              case DOUBLE: values.get(c).add(((Float8Vector) v).get(i)); break;
              default: values.get(c).add(((BitVector) v).get(i) != 0);
            }
          }
        }
      }
      List<FieldVector> vs = root.getFieldVectors();
      for (int c = 0; c < vs.size(); c++) t.put(new Table.Column(vs.get(c).getName(), types.get(c), values.get(c)));
      return t;
    } catch (CorruptArtifactException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new CorruptArtifactException(file, "unreadable Arrow file (" + e.getMessage() + "); rerun the eval stage that wrote it");
    }
  }

  private static Table.Type typeOf(FieldVector v, Path file) throws CorruptArtifactException {
    if (v instanceof VarCharVector) return Table.Type.STRING;
    if (v instanceof BigIntVector) return Table.Type.LONG;
    if (v instanceof Float8Vector) return Table.Type.DOUBLE;
    if (v instanceof BitVector) return Table.Type.BOOLEAN;
    throw new CorruptArtifactException(file, "column " + v.getName() + " has unsupported type " + v.getMinorType());
  }
}
