package saturn.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.ingest.TokenArtifact;
import saturn.stage.Resources;
import saturn.stage.StageContext;
import saturn.stage.StageListener;

/** The eval stages called as the CLI calls them, with their notes printed to a test's stream. */
final class TestEval {
  private TestEval() {}

  static Artifact eval(Workspace ws, EvalConfig cfg, String checkpoints, TokenArtifact tokens, PrintStream log) throws IOException {
    return new EvalStage().run(new EvalSpec(List.of(checkpoints), List.of(), tokens.id(), cfg), ctx(ws, log));
  }

  static Artifact probe(Workspace ws, ProbeConfig cfg, String checkpoints, TokenArtifact tokens, PrintStream log) throws IOException {
    return new ProbeHeadStage().run(new ProbeSpec(checkpoints, List.of(), tokens.id(), cfg), ctx(ws, log));
  }

  static Artifact fitCsv(Workspace ws, FitConfig cfg, ScalingFitStage.Laws laws, java.nio.file.Path csv) throws IOException {
    return new ScalingFitStage().run(new FitSpec(List.of(), csv, laws, cfg), ctx(ws, null));
  }

  static Artifact fitEvals(Workspace ws, FitConfig cfg, ScalingFitStage.Laws laws, List<String> evals) throws IOException {
    return new ScalingFitStage().run(new FitSpec(evals, null, laws, cfg), ctx(ws, null));
  }

  static StageContext ctx(Workspace ws, PrintStream log) {
    StageListener l = log == null ? StageListener.SILENT : new StageListener() {
      @Override
      public void note(String line) {
        log.println(line);
      }
    };
    return StageContext.of(ws).withResources(new Resources(2, 2L << 30)).withListener(l);
  }
}
