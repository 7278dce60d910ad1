package saturn.ngram.format;

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
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Streams W row by row into the Arrow files of {@link ContextMatrixFormat}; memory stays at one batch per file.
 * Rows must be added in context order; each row's continuations in increasing token order.
 */
public final class ContextMatrixWriter implements AutoCloseable {
  private final int contextLength;
  private final BufferAllocator alloc = new RootAllocator();
  private final Out matrix;
  private final Out offsets;
  private final Out contexts;
  private final IntVector cols;
  private final Float4Vector probs;
  private final BigIntVector rowOffsets;
  private final UInt4Vector[] ctxTokens;
  private final BigIntVector ctxCounts;
  private long nnz;
  private long rows;
  private boolean closed;

  /** One Arrow file being written in batches. */
  private static final class Out {
    final VectorSchemaRoot root;
    final FileChannel ch;
    final ArrowFileWriter writer;
    int n;

    Out(Path file, Schema schema, BufferAllocator alloc) throws IOException {
      root = VectorSchemaRoot.create(schema, alloc);
      ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      writer = new ArrowFileWriter(root, null, ch);
      writer.start();
    }

    void flush() throws IOException {
      if (n == 0) return;
      root.setRowCount(n);
      writer.writeBatch();
      for (var v : root.getFieldVectors()) v.reset();
      n = 0;
    }

    void finish() throws IOException {
      flush();
      writer.end();
      writer.close();
      root.close();
      ch.close();
    }
  }

  public ContextMatrixWriter(Path dir, int contextLength, int vocabSize) throws IOException {
    this.contextLength = contextLength;
    Map<String, String> meta = Map.of(ContextMatrixFormat.META_COLS, Integer.toString(vocabSize));
    matrix = new Out(dir.resolve(ContextMatrixFormat.MATRIX_FILE), new Schema(List.of(
        Field.notNullable("cols", new ArrowType.Int(32, true)),
        Field.notNullable("probs", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE))), meta), alloc);
    offsets = new Out(dir.resolve(ContextMatrixFormat.ROW_OFFSETS_FILE), new Schema(List.of(
        Field.notNullable("row_offsets", new ArrowType.Int(64, true))), meta), alloc);
    List<Field> cf = new ArrayList<>();
    for (int i = 1; i <= contextLength; i++) cf.add(Field.notNullable("t" + i, new ArrowType.Int(32, false)));
    cf.add(Field.notNullable("count", new ArrowType.Int(64, true)));
    contexts = new Out(dir.resolve(ContextMatrixFormat.CONTEXTS_FILE), new Schema(cf, meta), alloc);
    cols = (IntVector) matrix.root.getVector("cols");
    probs = (Float4Vector) matrix.root.getVector("probs");
    rowOffsets = (BigIntVector) offsets.root.getVector("row_offsets");
    ctxTokens = new UInt4Vector[contextLength];
    for (int i = 0; i < contextLength; i++) ctxTokens[i] = (UInt4Vector) contexts.root.getVector("t" + (i + 1));
    ctxCounts = (BigIntVector) contexts.root.getVector("count");
    addOffset(0);
  }

  private void addOffset(long v) throws IOException {
    rowOffsets.setSafe(offsets.n++, v);
    if (offsets.n == ContextMatrixFormat.BATCH) offsets.flush();
  }

  /** Adds one row: the context, and its n continuations with counts (total = their sum). */
  public void addRow(int[] context, int[] next, long[] counts, int n) throws IOException {
    long total = 0;
    for (int i = 0; i < n; i++) total += counts[i];
    double inv = 1.0 / total;
    for (int i = 0; i < n; i++) {
      cols.setSafe(matrix.n, next[i]);
      probs.setSafe(matrix.n, (float) (counts[i] * inv));
      if (++matrix.n == ContextMatrixFormat.BATCH) matrix.flush();
    }
    nnz += n;
    rows++;
    addOffset(nnz);
    for (int i = 0; i < contextLength; i++) ctxTokens[i].setSafe(contexts.n, context[i]);
    ctxCounts.setSafe(contexts.n, total);
    if (++contexts.n == ContextMatrixFormat.BATCH) contexts.flush();
  }

  public long rows() {
    return rows;
  }

  public long nnz() {
    return nnz;
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    try {
      matrix.finish();
      offsets.finish();
      contexts.finish();
    } finally {
      alloc.close();
    }
  }
}
