package saturn.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroup;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Types;

/** Writes test corpora in every input format with the same Java libraries users' tools use. */
public final class Fixtures {
  private Fixtures() {}

  public static Path gzip(Path file, byte[] content) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(content);
    }
    return file;
  }

  public static Path zstd(Path file, byte[] content) throws IOException {
    try (OutputStream out = new com.github.luben.zstd.ZstdOutputStream(Files.newOutputStream(file))) {
      out.write(content);
    }
    return file;
  }

  public static byte[] gzipBytes(byte[] content) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(b)) {
      out.write(content);
    }
    return b.toByteArray();
  }

  public static String jsonl(List<String> docs, String field) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < docs.size(); i++) {
      sb.append("{\"id\": ").append(i).append(", \"").append(field).append("\": ")
          .append(saturn.artifact.Json.canonical(docs.get(i))).append("}\n");
    }
    return sb.toString();
  }

  /** Arrow IPC with columns id:int32, text:utf8 (nulls for null entries), in batches of {@code batch} rows. */
  public static Path arrow(Path file, List<String> docs, boolean fileFormat, int batch) throws IOException {
    try (BufferAllocator alloc = new RootAllocator();
         VarCharVector text = new VarCharVector("text", alloc);
         IntVector id = new IntVector("id", alloc);
         VectorSchemaRoot root = VectorSchemaRoot.of(id, text);
         OutputStream out = Files.newOutputStream(file)) {
      ArrowWriter w = fileFormat ? new ArrowFileWriter(root, null, java.nio.channels.Channels.newChannel(out))
          : new ArrowStreamWriter(root, null, out);
      w.start();
      for (int start = 0; start < docs.size(); start += batch) {
        int n = Math.min(batch, docs.size() - start);
        text.allocateNew(n);
        id.allocateNew(n);
        for (int i = 0; i < n; i++) {
          String d = docs.get(start + i);
          id.set(i, start + i);
          if (d == null) text.setNull(i);
          else text.setSafe(i, d.getBytes(StandardCharsets.UTF_8));
        }
        text.setValueCount(n);
        id.setValueCount(n);
        root.setRowCount(n);
        w.writeBatch();
      }
      w.end();
      w.close();
    }
    return file;
  }

  /** Parquet with columns id:int32, text:string, written without Hadoop. */
  public static Path parquet(Path file, List<String> docs, CompressionCodecName codec, int rowGroupBytes) throws IOException {
    MessageType schema = Types.buildMessage()
        .required(PrimitiveType.PrimitiveTypeName.INT32).named("id")
        .optional(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("text")
        .named("doc");
    Files.deleteIfExists(file);
    try {
      // Method handles: the Hadoop-free overloads cannot be picked by javac without Hadoop on the class path.
      ExampleParquetWriter.Builder b = (ExampleParquetWriter.Builder) MethodHandles.publicLookup()
          .findStatic(ExampleParquetWriter.class, "builder", MethodType.methodType(ExampleParquetWriter.Builder.class, OutputFile.class))
          .invoke(new LocalOutputFile(file));
      MethodHandles.publicLookup().findVirtual(ParquetWriter.Builder.class, "withConf",
          MethodType.methodType(ParquetWriter.Builder.class, ParquetConfiguration.class))
          .invoke(b, new PlainParquetConfiguration());
      b.withType(schema).withCodecFactory(saturn.ingest.read.ParquetCodecs.INSTANCE).withCompressionCodec(codec).withRowGroupSize((long) rowGroupBytes).withPageSize(4096);
      try (ParquetWriter<Group> w = b.build()) {
        for (int i = 0; i < docs.size(); i++) {
          Group g = new SimpleGroup(schema);
          g.add("id", i);
          if (docs.get(i) != null) g.add("text", docs.get(i));
          w.write(g);
        }
      }
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
    return file;
  }
}
