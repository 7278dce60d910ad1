package saturn.spectra;

import saturn.stage.MemoryBudgetException;
import saturn.stage.Resources;
import saturn.stage.StageListener;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Artifact;
import saturn.artifact.CorruptArtifactException;
import saturn.artifact.Workspace;
import saturn.ngram.CsrMatrix;
import saturn.spectra.format.SpectrumFormat;
import saturn.spectra.format.SpectrumReader;

class SpectraStageTest {
  static final Resources RES = new Resources(2, 1L << 30);

  @TempDir Path tmp;

  static CsrMatrix matrix(int rows, int cols, long[] off, int[] ci, float[] v) {
    return new CsrMatrix(rows, cols, off, ci, v);
  }

  @Test
  void zeroRowsAreRefused() {
    CsrMatrix w = matrix(0, 10, new long[] {0}, new int[0], new float[0]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SpectraStage.compute(w, SpectraSpec.builder().setW(SpectraSpec.NOT_AN_ARTIFACT).build(), RES, StageListener.SILENT));
    assertTrue(e.getMessage().contains("0 rows"), e.getMessage());
  }

  @Test
  void nanIsRefusedWithItsLocation() {
    CsrMatrix w = matrix(3, 4, new long[] {0, 2, 2, 4}, new int[] {0, 3, 1, 2}, new float[] {0.5f, 0.5f, 1f, Float.NaN});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SpectraStage.compute(w, SpectraSpec.builder().setW(SpectraSpec.NOT_AN_ARTIFACT).build(), RES, StageListener.SILENT));
    assertTrue(e.getMessage().contains("row 2, column 2 is NaN"), e.getMessage());
  }

  @Test
  void allZeroRowsAreIgnoredAndReported() {
    long seed = RandomMatrices.seed("allZeroRows");
    CsrMatrix w = RandomMatrices.sparse(new Random(seed), 60, 40, 0.2, 1.0);
    // insert 5 empty rows at the front: same singular values
    long[] off = new long[w.rows() + 6];
    for (int r = 0; r <= w.rows(); r++) off[r + 5] = w.rowOffsets()[r];
    CsrMatrix padded = matrix(w.rows() + 5, w.cols(), off, w.colIds(), w.values());
    List<String> log = new ArrayList<>();
    Spectrum a = SpectraStage.compute(w, SpectraSpec.builder().setW(SpectraSpec.NOT_AN_ARTIFACT).optRank(10).build(), RES, StageListener.SILENT);
    Spectrum b = SpectraStage.compute(padded, SpectraSpec.builder().setW(SpectraSpec.NOT_AN_ARTIFACT).optRank(10).build(), RES, note(log));
    assertArrayEquals(a.sigma(), b.sigma(), 1e-12 * a.sigma()[0]);
    assertEquals(5, b.zeroRows());
    assertTrue(log.stream().anyMatch(l -> l.contains("5 of 65 rows of W are all zero; ignored")), log.toString());
  }

  @Test
  void rankIsClampedWithAMessage() {
    CsrMatrix w = RandomMatrices.sparse(new Random(1), 8, 30, 0.5, 1.0);
    List<String> log = new ArrayList<>();
    Spectrum s = SpectraStage.compute(w, SpectraSpec.builder().setW(SpectraSpec.NOT_AN_ARTIFACT).optRank(4096).build(), RES, note(log));
    assertEquals(8, s.rank());
    assertEquals(4096, s.requestedRank());
    assertTrue(log.get(0).contains("--rank 4096 is more than W (8 x 30) allows; computing k = 8"), log.toString());
  }

  @Test
  void memoryBudgetIsCheckedBeforeAllocatingAndNamesTheBudget() {
    CsrMatrix w = RandomMatrices.sparse(new Random(2), 3000, 2800, 0.01, 1.0);
    MemoryBudgetException e = assertThrows(MemoryBudgetException.class,
        () -> SpectraStage.compute(w, SpectraSpec.builder().setW(SpectraSpec.NOT_AN_ARTIFACT).optRank(200).build(), new Resources(2, 1 << 20), StageListener.SILENT));
    assertTrue(e.getMessage().contains("--memory is 1m; raise --memory to 1g"), e.getMessage());
  }

  @Test
  void artifactRoundTripChartsAndCompare() throws IOException {
    long seed = RandomMatrices.seed("artifactRoundTrip");
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    CsrMatrix w1 = RandomMatrices.sparse(new Random(seed), 300, 200, 0.05, 1.0);
    CsrMatrix w2 = RandomMatrices.sparse(new Random(seed + 1), 300, 200, 0.02, 1.0);
    Artifact in1 = TestW.publish(ws, "test1", w1);
    Artifact in2 = TestW.publish(ws, "test2", w2);
    w1 = TestW.read(in1);
    SpectraSpec cfg = SpectraSpec.builder().setW(in1.id()).optRank(50).build();
    Artifact a1 = new SpectraStage().run(cfg, TestW.ctx(ws, 1L << 30));
    Artifact a2 = new SpectraStage().run(SpectraSpec.builder().setW(in2.id()).optRank(50).build(), TestW.ctx(ws, 1L << 30));
    assertEquals(java.util.Map.of(in1.id(), in1.manifest().contentDigest()), a1.manifest().inputDigests());
    for (String f : List.of("spectrum.arrow", "spectrum.csv", "w_error.png", "w_error.svg", "spectrum.png", "spectrum.svg")) {
      assertTrue(Files.size(a1.dir().resolve(f)) > 100, f);
    }
    assertTrue(Files.readString(a1.dir().resolve("w_error.svg")).contains("<svg"));
    Spectrum direct = SpectraStage.compute(w1, cfg, RES, StageListener.SILENT);
    Spectrum back = SpectrumReader.read(a1);
    assertArrayEquals(direct.sigma(), back.sigma(), 0.0);
    assertArrayEquals(direct.wError(), back.wError(), 0.0);
    assertEquals(w1.frobeniusNormSquared(), back.frobeniusSquared(), 0.0);
    List<String> csv = Files.readAllLines(a1.dir().resolve(SpectrumFormat.CSV_FILE));
    assertEquals("rank,sigma,sigma2,w_error,accuracy", csv.get(0));
    assertEquals(51, csv.size());
    // same inputs and settings: cached
    assertEquals(a1.id(), new SpectraStage().run(cfg, TestW.ctx(ws, 1L << 30)).id());

    Path out = tmp.resolve("cmp");
    List<SpectraCompare.Row> rows = SpectraCompare.compare(List.of(a1, a2), List.of("dense", "sparse"), out);
    assertEquals(2, rows.size());
    assertEquals(3, Files.readAllLines(out.resolve(SpectraCompare.TABLE)).size());
    assertEquals(101, Files.readAllLines(out.resolve(SpectraCompare.CURVES)).size());
    assertTrue(Files.size(out.resolve("compare_w_error.png")) > 1000);
    assertTrue(Files.size(out.resolve("compare_spectrum.svg")) > 1000);
  }

  @Test
  void flippedByteIsReportedAsCorrupt() throws IOException {
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    CsrMatrix w = RandomMatrices.sparse(new Random(3), 100, 80, 0.1, 1.0);
    Artifact a = new SpectraStage().run(SpectraSpec.builder().setW(TestW.publish(ws, "x", w).id()).optRank(5).build(),
        TestW.ctx(ws, 1L << 30));
    Path f = a.dir().resolve(SpectrumFormat.ARROW_FILE);
    f.toFile().setWritable(true);
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      long pos = ch.size() / 2;
      ch.read(b, pos);
      b.put(0, (byte) (b.get(0) ^ 0x40));
      b.rewind();
      ch.write(b, pos);
    }
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class, () -> SpectrumReader.read(a));
    assertTrue(e.getMessage().contains(SpectrumFormat.ARROW_FILE), e.getMessage());
    // and the unverified path rejects a file that is not a spectrum at all
    Path junk = tmp.resolve("junk.arrow");
    Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    assertThrows(CorruptArtifactException.class, () -> SpectrumReader.read(junk));
  }

  static StageListener note(java.util.List<String> lines) {
    return new StageListener() {
      @Override
      public void note(String line) {
        lines.add(line);
      }
    };
  }
}
