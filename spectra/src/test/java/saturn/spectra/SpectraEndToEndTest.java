package saturn.spectra;

import saturn.ngram.ContextMatrixStage;
import saturn.stage.Resources;
import saturn.stage.StageContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.ingest.IngestSpec;
import saturn.ingest.IngestStage;
import saturn.ngram.ContextMatrixSpec;
import saturn.ngram.CsrMatrix;
import saturn.ngram.NgramSpec;
import saturn.ngram.NgramStage;
import saturn.ngram.format.ContextMatrixReader;
import saturn.spectra.format.SpectrumReader;

/** Real text → tokens → 5-gram counts → W → spectrum, on two small books from shared/ (skipped without it). */
class SpectraEndToEndTest {
  @TempDir Path tmp;

  @Test
  void smallRealCorpusEndToEnd() throws IOException {
    String shared = System.getProperty("saturn.shared");
    Assumptions.assumeTrue(shared != null && Files.isDirectory(Paths.get(shared, "corpora")), "no shared/ corpora");
    Path g = Paths.get(shared, "corpora", "gutenberg");
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    StageContext ctx = StageContext.of(ws).withResources(new Resources(2, 256L << 20));
    Artifact tokens = new IngestStage().run(IngestSpec.builder()
        .setInputs(List.of(g.resolve("blake-poems.txt.gz").toString(), g.resolve("carroll-alice.txt.gz").toString()))
        .setTokenizer("gpt2").build(), ctx);
    Artifact counts = new NgramStage().run(NgramSpec.builder().setTokens(tokens.id()).build(), ctx);
    Artifact matrix = new ContextMatrixStage().run(ContextMatrixSpec.builder().setCounts(counts.id()).build(), ctx);
    CsrMatrix w = ContextMatrixReader.read(matrix);
    assertTrue(w.rows() > 1000 && w.nnz() > w.rows(), "W " + w.rows() + " x " + w.cols());

    // k = 64 on a W whose non-empty columns (a few thousand) put it on the Krylov path
    SpectraSpec cfg = SpectraSpec.builder().setW(matrix.id()).optRank(64).optSolver("krylov").optTolerance(1e-8).build();
    Artifact spec = new SpectraStage().run(cfg, StageContext.of(ws).withResources(new Resources(2, 2L << 30)));
    Spectrum s = SpectrumReader.read(spec);
    assertEquals(64, s.rank());
    assertEquals(List.of(matrix.id()), spec.manifest().inputs());

    // the same σ from the exact dense solver on the same W (rows are distributions, so σ_1 <= sqrt(rows))
    Spectrum exact = SpectraStage.compute(w, SpectraSpec.builder().setW(matrix.id()).optRank(64).optSolver("dense").build(),
        new Resources(2, 2L << 30), saturn.stage.StageListener.SILENT);
    for (int i = 0; i < 64; i++) {
      assertEquals(exact.sigma()[i], s.sigma()[i], 1e-6 * exact.sigma()[i], "σ_" + (i + 1));
    }
    double[] we = s.wError();
    for (int d = 1; d < we.length; d++) assertTrue(we[d] <= we[d - 1]);
    assertTrue(Files.size(spec.dir().resolve("w_error.png")) > 1000);
  }
}
