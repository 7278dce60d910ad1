package saturn.ngram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Artifact;
import saturn.artifact.CorruptArtifactException;
import saturn.artifact.Workspace;
import saturn.ngram.format.ContextMatrixFormat;
import saturn.ngram.format.ContextMatrixReader;
import saturn.ngram.format.NgramStoreFormat;

/**
 * The stage end to end on real text (a shared corpus tokenized with GPT-2 through DJL): count, W, query by text,
 * exports read back by scipy/pyarrow, damage detection. Skips when the shared directory is absent.
 */
class NgramEndToEndTest {
  @TempDir static Path tmp;
  static Workspace ws;
  static Artifact tokens;
  static Artifact counts;
  static Artifact matrix;
  static int[] text;

  @BeforeAll
  static void build() throws Exception {
    Path shared = Path.of(System.getProperty("saturn.shared", "../shared"));
    Path tok = shared.resolve("tokenizers/gpt2/tokenizer.json");
    Path book = shared.resolve("corpora/gutenberg/carroll-alice.txt.gz");
    Assumptions.assumeTrue(Files.isRegularFile(tok) && Files.isRegularFile(book), "shared corpora absent: " + shared);
    ws = Workspace.open(tmp.resolve("ws"));
    // The real ingest stage: the book is read, split into documents and tokenized with GPT-2.
    tokens = new saturn.ingest.IngestStage().run(saturn.ingest.IngestSpec.builder()
        .setInputs(book.toString()).setTokenizer(tok.toString()).optValFraction(0).build(), saturn.stage.StageContext.of(ws));
    saturn.ingest.TokenArtifact ta = saturn.ingest.TokenArtifact.of(tokens);
    try (var r = ta.open(saturn.ingest.format.TokenShardFormat.TRAIN)) {
      int d = 0;
      while (d < r.documents() - 1 && r.documentEnd(d) - r.documentStart(d) < 20) d++;
      int len = (int) Math.min(200, r.documentEnd(d) - r.documentStart(d));
      text = new int[len];
      r.read(r.documentStart(d), text, 0, len);
    }
    counts = TestStages.count(ws, 5, 64L << 20, 2, List.of(tokens));
    matrix = TestStages.matrix(ws, 2, 0, 0, 0, counts);
  }

  @Test
  void statisticsAreConsistent() throws Exception {
    var s = counts.manifest().stats();
    Assumptions.assumeTrue(s != null);
    assertTrue(s.get("distinctNgrams").asLong() > 10_000);
    long sum = 0;
    for (var e : (Iterable<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>) s.get("countsOfCounts")::fields) {
      sum += e.getValue().asLong();
    }
    assertEquals(s.get("distinctNgrams").asLong(), sum, "counts of counts add up to the distinct n-grams");
    var m = matrix.manifest().stats();
    assertEquals(saturn.ingest.TokenArtifact.of(tokens).vocabSize(), m.get("cols").asInt());
    assertTrue(m.get("rows").asLong() < s.get("distinctContexts").asLong());
    assertEquals(s.get("distinctContexts").asLong(), m.get("contextsBeforeFiltering").asLong());
    CsrMatrix w = ContextMatrixReader.read(matrix);
    assertEquals(m.get("nnz").asLong(), w.nnz());
  }

  @Test
  void queryByTextDecodesContinuations() throws Exception {
    try (NgramQuery q = new NgramQuery(NgramCounts.of(counts), true)) {
      int[] ctx = q.tokenize("\"Yes,\" said the Mock Turtle");
      NgramQuery.Answer a = q.next(ctx, 5);
      assertEquals(4, a.context().length);
      assertFalse(a.top().isEmpty(), "\" said the Mock Turtle\" occurs in Alice");
      double p = a.top().stream().mapToDouble(NgramQuery.Next::probability).sum();
      assertTrue(p <= 1.0 + 1e-9);
      assertTrue(a.top().get(0).text() != null && !a.top().get(0).text().isEmpty());
      int[] ng = java.util.Arrays.copyOf(a.context(), 5);
      ng[4] = a.top().get(0).token();
      assertEquals(a.top().get(0).count(), q.count(ng));
      // a context taken from the text itself is found
      int[] fromText = java.util.Arrays.copyOfRange(text, 5, 9);
      assertTrue(q.next(fromText, 3).contextCount() >= 1);
    }
  }

  @Test
  void exportsRoundTripThroughPython() throws Exception {
    Path npz = tmp.resolve("W.npz");
    Path mtx = tmp.resolve("W.mtx");
    CsrMatrix w = ContextMatrixStage.export(matrix, ContextMatrixStage.ExportFormat.NPZ, npz);
    ContextMatrixStage.export(matrix, ContextMatrixStage.ExportFormat.MTX, mtx);
    List<String> mtxLines = Files.readAllLines(mtx);
    assertTrue(mtxLines.get(0).startsWith("%%MatrixMarket matrix coordinate real general"));
    Assumptions.assumeTrue(python("import scipy.sparse") == 0, "python3 with scipy absent");
    String check = String.join("\n",
        "import numpy as np, scipy.sparse as sp, scipy.io as sio",
        "W = sp.load_npz(r'" + npz + "')",
        "assert W.shape == (" + w.rows() + ", " + w.cols() + "), W.shape",
        "assert W.nnz == " + w.nnz(),
        "s = np.asarray(W.sum(axis=1)).ravel()",
        "assert np.allclose(s, 1.0, atol=1e-5), s.min()",
        "M = sio.mmread(r'" + mtx + "').tocsr()",
        "assert M.shape == W.shape and abs(M - W).max() < 1e-6");
    assertEquals(0, python(check), "scipy reads the npz and mtx exports");
    Assumptions.assumeTrue(python("import pyarrow") == 0, "pyarrow absent");
    Path dir = matrix.dir();
    String arrow = String.join("\n",
        "import numpy as np, pyarrow as pa, scipy.sparse as sp",
        "t = pa.ipc.open_file(r'" + dir.resolve(ContextMatrixFormat.MATRIX_FILE) + "').read_all()",
        "o = pa.ipc.open_file(r'" + dir.resolve(ContextMatrixFormat.ROW_OFFSETS_FILE) + "').read_all()",
        "c = pa.ipc.open_file(r'" + dir.resolve(ContextMatrixFormat.CONTEXTS_FILE) + "').read_all()",
        "indptr = o['row_offsets'].to_numpy()",
        "W = sp.csr_matrix((t['probs'].to_numpy(), t['cols'].to_numpy(), indptr), shape=(len(indptr) - 1, " + w.cols() + "))",
        "assert W.nnz == " + w.nnz() + " and c.num_rows == W.shape[0]",
        "assert np.allclose(np.asarray(W.sum(axis=1)).ravel(), 1.0, atol=1e-5)",
        "assert c.column_names == ['t1', 't2', 't3', 't4', 'count'], c.column_names",
        "assert str(c.schema.field('t1').type) == 'uint32'",
        "V = sp.load_npz(r'" + npz + "')",
        "assert abs(V - W).max() == 0");
    assertEquals(0, python(arrow), "pyarrow reads W.arrow, W_row_offsets.arrow and contexts.arrow");
  }

  static int python(String code) throws IOException, InterruptedException {
    try {
      Process p = new ProcessBuilder("python3", "-c", code).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      int rc = p.waitFor();
      if (rc != 0) System.out.println("python3: " + out);
      return rc;
    } catch (IOException noPython) {
      return -1;
    }
  }

  /** Copies an artifact so that damaging it leaves the shared fixture intact. */
  static Artifact copyOf(Artifact a, String name) throws IOException {
    Path dst = tmp.resolve("copies").resolve(name).resolve("artifacts").resolve(a.stage()).resolve(a.id());
    try (Stream<Path> walk = Files.walk(a.dir())) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path q = dst.resolve(a.dir().relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(q);
        else Files.copy(p, q);
      }
    }
    for (Path p : (Iterable<Path>) Files.walk(dst)::iterator) {
      if (Files.isRegularFile(p)) Files.setPosixFilePermissions(p, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }
    return Workspace.open(tmp.resolve("copies").resolve(name)).get(a.id());
  }

  static void flipByte(Path f, long at) throws IOException {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
      ch.write(b, at);
    }
  }

  @Test
  void damagedStoreFilesAreNamed() throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(counts.dir().resolve(NgramStoreFormat.INDEX_DIR))) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    assertFalse(files.isEmpty());
    int i = 0;
    for (Path original : files) {
      String rel = counts.dir().relativize(original).toString();
      // a flipped byte in the middle of every file of the store
      Artifact copy = copyOf(counts, "flip" + i);
      Path f = copy.dir().resolve(rel);
      flipByte(f, Files.size(f) / 2);
      CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> {
        try (var r = NgramCounts.of(copy).open(true)) {
          r.distinctNgrams();
        }
      }, rel);
      assertTrue(e.getMessage().contains(f.getFileName().toString()) || e.path().equals(f), e.getMessage());
      // truncated
      Artifact copy2 = copyOf(counts, "trunc" + i++);
      Path g = copy2.dir().resolve(rel);
      try (FileChannel ch = FileChannel.open(g, StandardOpenOption.WRITE)) {
        ch.truncate(Files.size(g) - 1);
      }
      CorruptArtifactException e2 = assertThrows(CorruptArtifactException.class, () -> NgramCounts.of(copy2).open(false).close());
      assertTrue(e2.getMessage().contains(g.getFileName().toString()), e2.getMessage());
    }
  }

  @Test
  void damagedMatrixFilesAreNamed() throws Exception {
    for (String name : Set.of(ContextMatrixFormat.MATRIX_FILE, ContextMatrixFormat.ROW_OFFSETS_FILE, ContextMatrixFormat.CONTEXTS_FILE)) {
      Artifact copy = copyOf(matrix, "m-" + name);
      Path f = copy.dir().resolve(name);
      flipByte(f, Files.size(f) - 20);
      CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> {
        ContextMatrixReader.read(copy);
        ContextMatrixReader.readContexts(copy);
      }, name);
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
  }

  @Test
  void mergingADifferentTokenizerIsRefused() throws Exception {
    Artifact other = TestTokens.write(ws, "llama", List.of(new int[] {1, 2, 3, 4, 5, 6}), 32000, -1, "llama-sha", null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TestStages.merge(ws, 5, 64L << 20, 1, counts, List.of(other)));
    assertTrue(e.getMessage().contains("re-ingest"), e.getMessage());
  }
}
