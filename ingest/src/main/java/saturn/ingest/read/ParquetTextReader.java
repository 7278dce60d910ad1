package saturn.ingest.read;

import java.io.IOException;
import java.util.stream.Collectors;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Parquet (HF hub datasets' native format): reads only the text column, one row group at a time, without Hadoop
 * (parquet-java's {@link LocalInputFile} and {@link PlainParquetConfiguration}). Parquet needs random access, so the
 * file itself must not be gzip/zstd-wrapped (its pages are compressed inside; all standard codecs are read).
 */
final class ParquetTextReader implements CorpusReader {
  /**
   * {@code ParquetFileReader.open(InputFile, ParquetReadOptions)}, linked by method handle: javac cannot resolve that
   * overload without Hadoop on the compile class path, and the method itself never touches Hadoop.
   */
  private static final java.lang.invoke.MethodHandle OPEN;

  static {
    try {
      OPEN = java.lang.invoke.MethodHandles.publicLookup().findStatic(ParquetFileReader.class, "open",
          java.lang.invoke.MethodType.methodType(ParquetFileReader.class, org.apache.parquet.io.InputFile.class,
              ParquetReadOptions.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ReadOptions options;

  ParquetTextReader(ReadOptions options) {
    this.options = options;
  }

  @Override
  public void read(CorpusFile file, DocumentSink sink, FileReport report) throws IOException {
    String c = file.compression();
    if (!c.equals("none")) {
      throw new BadInputException(file.display() + ": a " + c + "-compressed Parquet file; Parquet compresses its pages itself, so decompress the outer " + c + " layer first");
    }
    if (java.nio.file.Files.size(file.path()) == 0) {
      report.skipped = "empty file";
      return;
    }
    ParquetReadOptions ro = ParquetReadOptions.builder(new PlainParquetConfiguration())
        .withCodecFactory(ParquetCodecs.INSTANCE).build();
    ParquetFileReader reader;
    try {
      reader = (ParquetFileReader) OPEN.invoke(new LocalInputFile(file.path()), ro);
    } catch (Throwable e) {
      if (e instanceof Error err && !(e instanceof LinkageError)) throw err;
      throw new BadInputException(file.display() + ": not a Parquet file (" + e.getMessage() + "); pass .parquet files or name the file by its real format", e);
    }
    long[] replaced = {0};
    try (reader) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      if (!schema.containsField(options.textField())) {
        throw new BadInputException(file.display() + ": no column \"" + options.textField() + "\" (columns: "
            + schema.getFields().stream().map(Type::getName).collect(Collectors.joining(", "))
            + "); pass --text-field with the text column");
      }
      Type t = schema.getType(options.textField());
      if (!t.isPrimitive() || t.asPrimitiveType().getPrimitiveTypeName() != PrimitiveType.PrimitiveTypeName.BINARY
          || t.isRepetition(Type.Repetition.REPEATED)) {
        throw new BadInputException(file.display() + ": column \"" + options.textField() + "\" is " + t
            + ", not a string; pass --text-field with a string column");
      }
      MessageType projection = new MessageType(schema.getName(), t);
      reader.setRequestedSchema(projection);
      MessageColumnIO io = new ColumnIOFactory().getColumnIO(projection, schema);
      long row = 0;
      PageReadStore pages;
      while (true) {
        try {
          pages = reader.readNextRowGroup();
        } catch (IOException | RuntimeException e) {
          throw new BadInputException(file.display() + ": damaged Parquet data after row " + row + " (" + e.getMessage()
              + "); re-create the file, or pass --skip-bad-files to keep what was read", e);
        }
        if (pages == null) break;
        RecordReader<Group> records = io.getRecordReader(pages, new GroupRecordConverter(projection));
        long n = pages.getRowCount();
        for (long i = 0; i < n; i++, row++) {
          Group g = records.read();
          if (g == null || g.getFieldRepetitionCount(0) == 0) {
            if (options.badRecords() == ReadOptions.BadRecords.FAIL) {
              throw new BadInputException(file.display() + " row " + row + ": \"" + options.textField()
                  + "\" is null; fix the data, or pass --bad-records skip to skip and count such rows");
            }
            report.skipRecord("row " + row + ": null text");
            continue;
          }
          byte[] bytes = g.getBinary(0, 0).getBytesUnsafe();
          if (bytes.length == 0) {
            report.emptyDocuments++;
            continue;
          }
          sink.document(TextDecoder.decode(bytes, java.nio.charset.StandardCharsets.UTF_8, options.strict(),
              file.display() + " row " + row, replaced));
          report.documents++;
        }
      }
      if (row == 0) report.skipped = "no rows";
    } finally {
      report.replacedChars += replaced[0];
    }
  }
}
