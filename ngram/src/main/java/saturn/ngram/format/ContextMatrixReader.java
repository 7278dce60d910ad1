package saturn.ngram.format;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import saturn.artifact.Artifact;
import saturn.artifact.CorruptArtifactException;
import saturn.ngram.CsrMatrix;
import saturn.ngram.NgramStage;

/**
 * Reads W back from a context-matrix artifact ({@code ngrams} stage, {@link ContextMatrixFormat}). Every file's
 * sha256 is checked against the manifest before it is trusted; damage raises {@link CorruptArtifactException} naming
 * the file.
 */
public final class ContextMatrixReader {
  private ContextMatrixReader() {}

  /** The contexts of W's rows: row i's context is {@code tokens[i*contextLength .. (i+1)*contextLength)}. */
  public record Contexts(int contextLength, int[] tokens, long[] counts) {
    public int rows() {
      return counts.length;
    }
  }

  /** W of a context-matrix artifact as a CSR matrix (rows = contexts, columns = vocabulary). */
  public static CsrMatrix read(Artifact artifact) throws IOException {
    check(artifact);
    Path offsetsFile = artifact.verifiedFile(ContextMatrixFormat.ROW_OFFSETS_FILE);
    Path matrixFile = artifact.verifiedFile(ContextMatrixFormat.MATRIX_FILE);
    try (BufferAllocator alloc = new RootAllocator()) {
      long[] offsets = readLongs(offsetsFile, "row_offsets", alloc);
      if (offsets.length == 0) throw new CorruptArtifactException(offsetsFile, "no row offsets");
      long nnz = offsets[offsets.length - 1];
      if (nnz > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(artifact.id() + ": W has " + nnz + " entries, more than a Java array holds; "
            + "rebuild it with --top-contexts or --sample-contexts");
      }
      int[] cols = new int[(int) nnz];
      float[] probs = new float[(int) nnz];
      int vocab;
      try (FileChannel ch = FileChannel.open(matrixFile, StandardOpenOption.READ);
           ArrowFileReader r = new ArrowFileReader(ch, alloc)) {
        VectorSchemaRoot root = r.getVectorSchemaRoot();
        String c = root.getSchema().getCustomMetadata().get(ContextMatrixFormat.META_COLS);
        if (c == null) throw new CorruptArtifactException(matrixFile, "schema lacks " + ContextMatrixFormat.META_COLS);
        vocab = Integer.parseInt(c);
        int at = 0;
        while (r.loadNextBatch()) {
          IntVector cv = (IntVector) root.getVector("cols");
          Float4Vector pv = (Float4Vector) root.getVector("probs");
          int n = root.getRowCount();
          if (at + (long) n > nnz) throw new CorruptArtifactException(matrixFile, "more entries than the row offsets say (" + nnz + ")");
          for (int i = 0; i < n; i++) {
            cols[at + i] = cv.get(i);
            probs[at + i] = pv.get(i);
          }
          at += n;
        }
        if (at != nnz) throw new CorruptArtifactException(matrixFile, at + " entries, the row offsets say " + nnz);
      } catch (RuntimeException e) {
        throw new CorruptArtifactException(matrixFile, "not a readable Arrow file (" + e + ")", e);
      }
      try {
        return new CsrMatrix(offsets.length - 1, vocab, offsets, cols, probs);
      } catch (IllegalArgumentException e) {
        throw new CorruptArtifactException(offsetsFile, e.getMessage(), e);
      }
    }
  }

  /** The row contexts and their counts. */
  public static Contexts readContexts(Artifact artifact) throws IOException {
    check(artifact);
    Path file = artifact.verifiedFile(ContextMatrixFormat.CONTEXTS_FILE);
    try (BufferAllocator alloc = new RootAllocator();
         FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
         ArrowFileReader r = new ArrowFileReader(ch, alloc)) {
      VectorSchemaRoot root = r.getVectorSchemaRoot();
      int k = root.getSchema().getFields().size() - 1;
      long rows = 0;
      java.util.List<int[]> tokenChunks = new java.util.ArrayList<>();
      java.util.List<long[]> countChunks = new java.util.ArrayList<>();
      while (r.loadNextBatch()) {
        int n = root.getRowCount();
        int[] t = new int[n * k];
        long[] c = new long[n];
        for (int j = 0; j < k; j++) {
          UInt4Vector v = (UInt4Vector) root.getVector("t" + (j + 1));
          for (int i = 0; i < n; i++) t[i * k + j] = v.get(i);
        }
        BigIntVector cv = (BigIntVector) root.getVector("count");
        for (int i = 0; i < n; i++) c[i] = cv.get(i);
        tokenChunks.add(t);
        countChunks.add(c);
        rows += n;
      }
      int[] tokens = new int[Math.toIntExact(rows * k)];
      long[] counts = new long[Math.toIntExact(rows)];
      int at = 0;
      for (int i = 0; i < countChunks.size(); i++) {
        System.arraycopy(tokenChunks.get(i), 0, tokens, at * k, tokenChunks.get(i).length);
        System.arraycopy(countChunks.get(i), 0, counts, at, countChunks.get(i).length);
        at += countChunks.get(i).length;
      }
      return new Contexts(k, tokens, counts);
    } catch (RuntimeException e) {
      throw new CorruptArtifactException(file, "not a readable Arrow file (" + e + ")", e);
    }
  }

  private static long[] readLongs(Path file, String column, BufferAllocator alloc) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
         ArrowFileReader r = new ArrowFileReader(ch, alloc)) {
      VectorSchemaRoot root = r.getVectorSchemaRoot();
      java.util.List<long[]> chunks = new java.util.ArrayList<>();
      long total = 0;
      while (r.loadNextBatch()) {
        BigIntVector v = (BigIntVector) root.getVector(column);
        long[] c = new long[root.getRowCount()];
        for (int i = 0; i < c.length; i++) c[i] = v.get(i);
        chunks.add(c);
        total += c.length;
      }
      long[] out = new long[Math.toIntExact(total)];
      int at = 0;
      for (long[] c : chunks) {
        System.arraycopy(c, 0, out, at, c.length);
        at += c.length;
      }
      return out;
    } catch (RuntimeException e) {
      throw new CorruptArtifactException(file, "not a readable Arrow file (" + e + ")", e);
    }
  }

  private static void check(Artifact a) {
    if (!NgramStage.MATRIX_STAGE.equals(a.stage())) {
      throw new IllegalArgumentException(a.id() + " is a '" + a.stage() + "' artifact; W lives in '" + NgramStage.MATRIX_STAGE
          + "' artifacts (run `saturn ngram`)");
    }
  }
}
