package saturn.ingest.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.ViewVarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Arrow IPC, both the stream format (what HF datasets keep in its cache, {@code data-00000-of-00001.arrow}) and the
 * file format (Feather v2). The file format is the stream format between an 8-byte magic and a footer, so both are
 * read sequentially, one record batch at a time, and may be gzip/zstd-compressed. One record = one document.
 */
final class ArrowIpcReader implements CorpusReader {
  private static final byte[] FILE_MAGIC = {'A', 'R', 'R', 'O', 'W', '1', 0, 0};
  /** One batch at a time; HF writes batches of ~1000 rows. */
  private static final long ALLOCATOR_LIMIT = 1L << 30;
  private final ReadOptions options;

  ArrowIpcReader(ReadOptions options) {
    this.options = options;
  }

  @Override
  public void read(CorpusFile file, DocumentSink sink, FileReport report) throws IOException {
    try (InputStream in = file.open(); BufferAllocator alloc = new RootAllocator(ALLOCATOR_LIMIT)) {
      in.mark(8);
      byte[] head = in.readNBytes(8);
      if (head.length == 0) {
        report.skipped = "empty file";
        return;
      }
      if (!java.util.Arrays.equals(head, FILE_MAGIC)) in.reset();
      long[] replaced = {0};
      try (ArrowStreamReader reader = new ArrowStreamReader(in, alloc)) {
        VectorSchemaRoot root;
        try {
          root = reader.getVectorSchemaRoot();
        } catch (IOException | RuntimeException e) {
          throw new BadInputException(file.display() + ": not an Arrow IPC file (" + e.getMessage() + "); pass .arrow files written by Arrow or HF datasets", e);
        }
        Field field = root.getSchema().getFields().stream().filter(f -> f.getName().equals(options.textField()))
            .findFirst().orElse(null);
        if (field == null) {
          throw new BadInputException(file.display() + ": no column \"" + options.textField() + "\" (columns: "
              + root.getSchema().getFields().stream().map(Field::getName).collect(Collectors.joining(", "))
              + "); pass --text-field with the text column");
        }
        long row = 0;
        while (true) {
          boolean more;
          try {
            more = reader.loadNextBatch();
          } catch (BadInputException e) {
            throw e;
          } catch (IOException | RuntimeException e) {
            throw new BadInputException(file.display() + ": damaged Arrow data after row " + row + " (" + e.getMessage()
                + "); re-create the file, or pass --skip-bad-files to keep what was read", e);
          }
          if (!more) break;
          FieldVector v = root.getVector(options.textField());
          int n = root.getRowCount();
          for (int i = 0; i < n; i++, row++) {
            if (v.isNull(i)) {
              nullText(file, report, row);
              continue;
            }
            byte[] bytes;
            if (v instanceof VarCharVector s) bytes = s.get(i);
            else if (v instanceof LargeVarCharVector s) bytes = s.get(i);
            else if (v instanceof ViewVarCharVector s) bytes = s.get(i);
            else {
              throw new BadInputException(file.display() + ": column \"" + options.textField() + "\" has type "
                  + v.getField().getType() + ", not string; pass --text-field with a string column");
            }
            if (bytes.length == 0) {
              report.emptyDocuments++;
              continue;
            }
            sink.document(TextDecoder.decode(bytes, java.nio.charset.StandardCharsets.UTF_8, options.strict(),
                file.display() + " row " + row, replaced));
            report.documents++;
          }
        }
        if (row == 0 && report.documents == 0) report.skipped = "no rows";
      } finally {
        report.replacedChars += replaced[0];
      }
    }
  }

  private void nullText(CorpusFile file, FileReport report, long row) throws BadInputException {
    if (options.badRecords() == ReadOptions.BadRecords.FAIL) {
      throw new BadInputException(file.display() + " row " + row + ": \"" + options.textField()
          + "\" is null; fix the data, or pass --bad-records skip to skip and count such rows");
    }
    report.skipRecord("row " + row + ": null text");
  }
}
