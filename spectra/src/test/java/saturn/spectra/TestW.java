package saturn.spectra;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Workspace;
import saturn.ngram.ContextMatrixStage;
import saturn.ngram.CsrMatrix;
import saturn.ngram.format.ContextMatrixFormat;
import saturn.ngram.format.ContextMatrixReader;
import saturn.ngram.format.ContextMatrixWriter;
import saturn.stage.StageContext;

/**
 * Publishes a matrix as a W artifact for tests, through the real W writer: each non-empty row becomes a context whose
 * continuations have counts proportional to the row's values (so the published W is the row-normalised matrix).
 */
final class TestW {
  private TestW() {}

  static Artifact publish(Workspace ws, String name, CsrMatrix m) throws IOException {
    ArtifactSpec spec = ArtifactSpec.of(ContextMatrixStage.STAGE, ContextMatrixFormat.FORMAT_NAME,
        ContextMatrixFormat.FORMAT_VERSION, Map.of("test", name), List.of());
    return ws.obtain(spec, p -> {
      try (ContextMatrixWriter w = new ContextMatrixWriter(p.dir(), 1, m.cols())) {
        long[] off = m.rowOffsets();
        for (int r = 0; r < m.rows(); r++) {
          int n = (int) (off[r + 1] - off[r]);
          if (n == 0) continue;
          int[] next = new int[n];
          long[] counts = new long[n];
          for (int i = 0; i < n; i++) {
            next[i] = m.colIds()[(int) off[r] + i];
            counts[i] = Math.max(1, Math.round(Math.abs(m.values()[(int) off[r] + i]) * 1000));
          }
          w.addRow(new int[] {r}, next, counts, n);
        }
      }
      p.stats(Map.of("rows", m.rows(), "cols", m.cols()));
    });
  }

  /** The matrix as a W artifact holds it. */
  static CsrMatrix read(Artifact w) throws IOException {
    return ContextMatrixReader.read(w);
  }

  static StageContext ctx(Workspace ws, long memory) {
    return StageContext.of(ws).withResources(new saturn.stage.Resources(2, memory));
  }
}
