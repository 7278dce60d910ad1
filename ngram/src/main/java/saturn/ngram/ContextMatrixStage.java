package saturn.ngram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Workspace;
import saturn.ngram.format.ContextMatrixFormat;
import saturn.ngram.format.ContextMatrixReader;
import saturn.ngram.format.MatrixMarketWriter;
import saturn.ngram.format.NgramStoreReader;
import saturn.ngram.format.NpzWriter;
import saturn.ngram.internal.ContextMatrixBuilder;
import saturn.stage.Inputs;
import saturn.stage.Progress;
import saturn.stage.Stage;
import saturn.stage.StageContext;

/**
 * The W stage: a count artifact → W = P(next token | context) as Arrow CSR (stage {@value #STAGE}), with the
 * contexts of its rows. One streaming pass over the store (two with a top-M or sampling filter).
 */
public final class ContextMatrixStage implements Stage<ContextMatrixSpec> {
  public static final String STAGE = "ngrams";

  /** Statistics of a W artifact, as written into its manifest. */
  public record MatrixStats(long rows, int cols, long nnz, long contextsBeforeFiltering, long contextsWithMinCount,
      long contextsKept, long ngramsInRows, long maxContextCount, double seconds) {}

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public ArtifactSpec identify(Workspace ws, ContextMatrixSpec spec) throws IOException {
    Artifact counts = Inputs.open(ws, spec.counts(), NgramStage.COUNTS_STAGE, "--counts");
    return ArtifactSpec.of(STAGE, ContextMatrixFormat.FORMAT_NAME, ContextMatrixFormat.FORMAT_VERSION, spec, List.of(counts));
  }

  @Override
  public Artifact make(ContextMatrixSpec spec, ArtifactSpec identity, StageContext ctx) throws IOException {
    NgramCounts counts = NgramCounts.of(Inputs.open(ctx.workspace(), spec.counts(), NgramStage.COUNTS_STAGE, "--counts"));
    return ctx.workspace().obtain(identity, pending -> {
      if (spec.sampleContexts() > 0) pending.seed("sampleContexts", spec.seed());
      long start = System.nanoTime();
      ctx.listener().progress(new Progress("build W", 0, -1, "rows", 0, "reading " + counts.id()));
      try (NgramStoreReader store = counts.open(true)) {
        ContextMatrixBuilder.Result r = ContextMatrixBuilder.build(store, counts.vocabSize(), spec, pending.dir(), counts.id());
        double seconds = (System.nanoTime() - start) / 1e9;
        pending.stats(new MatrixStats(r.rows(), counts.vocabSize(), r.nnz(), r.contextsBefore(), r.contextsWithMinCount(),
            r.rows(), r.ngramsInRows(), r.maxContextCount(), seconds));
        ctx.listener().progress(new Progress("build W", r.rows(), r.rows(), "rows", seconds,
            String.format(java.util.Locale.ROOT, "%,d nnz", r.nnz())));
      }
    });
  }

  /** The count artifact a W artifact was built from (a count artifact is its own). */
  public static Artifact countsOf(Workspace ws, Artifact matrix) throws IOException {
    if (NgramStage.COUNTS_STAGE.equals(matrix.stage())) return matrix;
    if (!STAGE.equals(matrix.stage()) || matrix.manifest().inputs().isEmpty()) {
      throw new IllegalArgumentException(matrix.id() + " is neither an n-gram count nor a W artifact");
    }
    return ws.byId(matrix.manifest().inputs().get(0));
  }

  /** Export formats of W. */
  public enum ExportFormat { NPZ, MTX }

  /** Writes W of a W artifact to {@code output} (npz: scipy.sparse.load_npz; mtx: Matrix Market). */
  public static CsrMatrix export(Artifact matrix, ExportFormat format, Path output) throws IOException {
    CsrMatrix w = ContextMatrixReader.read(matrix);
    Path parent = output.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    switch (format) {
      case NPZ -> NpzWriter.write(w, output);
      case MTX -> MatrixMarketWriter.write(w, output,
          "W of " + matrix.id() + ": rows = contexts (see contexts.arrow), columns = token ids, P(next | context)");
    }
    return w;
  }
}
