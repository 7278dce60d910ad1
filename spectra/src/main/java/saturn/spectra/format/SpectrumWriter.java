package saturn.spectra.format;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.Schema;
import saturn.spectra.Spectrum;

/** Writes {@link SpectrumFormat#ARROW_FILE} and {@link SpectrumFormat#CSV_FILE} into a directory. */
public final class SpectrumWriter {
  private SpectrumWriter() {}

  public static void write(Spectrum s, Path dir) throws IOException {
    writeArrow(s, dir.resolve(SpectrumFormat.ARROW_FILE));
    writeCsv(s, dir.resolve(SpectrumFormat.CSV_FILE));
  }

  static Map<String, String> metadata(Spectrum s) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(SpectrumFormat.META_FORMAT, SpectrumFormat.FORMAT);
    m.put(SpectrumFormat.META_VERSION, Integer.toString(SpectrumFormat.VERSION_CURRENT));
    m.put("rows", Integer.toString(s.rows()));
    m.put("cols", Integer.toString(s.cols()));
    m.put("nnz", Long.toString(s.nnz()));
    m.put("non_empty_columns", Integer.toString(s.nonEmptyColumns()));
    m.put("zero_rows", Long.toString(s.zeroRows()));
    m.put("frobenius_squared", Double.toString(s.frobeniusSquared()));
    m.put("requested_rank", Integer.toString(s.requestedRank()));
    m.put("solver", s.solver());
    m.put("cycles", Integer.toString(s.cycles()));
    m.put("converged", Boolean.toString(s.converged()));
    m.put("operator_columns", Long.toString(s.operatorColumns()));
    m.put("seconds", Double.toString(s.seconds()));
    return m;
  }

  static void writeArrow(Spectrum s, Path file) throws IOException {
    int k = s.rank();
    double[] we = s.wError();
    Schema schema = new Schema(SpectrumFormat.fields(), metadata(s));
    try (BufferAllocator alloc = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ArrowFileWriter writer = new ArrowFileWriter(root, null, ch)) {
      IntVector rank = (IntVector) root.getVector("rank");
      Float8Vector sigma = (Float8Vector) root.getVector("sigma");
      Float8Vector sigma2 = (Float8Vector) root.getVector("sigma2");
      Float8Vector wErr = (Float8Vector) root.getVector("w_error");
      Float8Vector acc = (Float8Vector) root.getVector("accuracy");
      rank.allocateNew(k);
      sigma.allocateNew(k);
      sigma2.allocateNew(k);
      wErr.allocateNew(k);
      acc.allocateNew(k);
      for (int i = 0; i < k; i++) {
        rank.set(i, i + 1);
        sigma.set(i, s.sigma()[i]);
        sigma2.set(i, s.sigma()[i] * s.sigma()[i]);
        wErr.set(i, we[i + 1]);
        acc.set(i, s.accuracy()[i]);
      }
      root.setRowCount(k);
      writer.start();
      writer.writeBatch();
      writer.end();
      ch.force(true);
    }
  }

  static void writeCsv(Spectrum s, Path file) throws IOException {
    double[] we = s.wError();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      out.write(String.join(",", SpectrumFormat.COLUMNS));
      out.write('\n');
      for (int i = 0; i < s.rank(); i++) {
        double sg = s.sigma()[i];
        out.write((i + 1) + "," + sg + "," + sg * sg + "," + we[i + 1] + "," + s.accuracy()[i] + "\n");
      }
    }
  }
}
