package saturn.lmhead;

import java.io.IOException;
import saturn.artifact.Workspace;
import saturn.ingest.TokenArtifact;
import saturn.stage.Resources;
import saturn.stage.StageContext;
import saturn.stage.StageListener;

/** TrainStage called as the CLI calls it, on a token artifact of a test workspace, with one intra-op thread. */
final class TestTrain {
  private TestTrain() {}

  static TrainStage.Result run(Workspace ws, TokenArtifact tokens, TrainSpec spec, boolean resume, StageListener listener)
      throws IOException {
    return new TrainStage(resume).trainOrFind(on(tokens, spec), ctx(ws, listener));
  }

  /** The spec with its token artifact set. */
  static TrainSpec on(TokenArtifact tokens, TrainSpec spec) {
    return spec.toBuilder().setTokens(tokens.id()).build();
  }

  static StageContext ctx(Workspace ws, StageListener listener) {
    return StageContext.of(ws).withResources(Resources.defaults().withThreads(1)).withListener(listener);
  }

  /** A listener that throws at step {@code n}, as a crash there would. */
  static StageListener crashAt(long n) {
    return new StageListener() {
      @Override
      public void progress(saturn.stage.Progress p) {
        if (p.done() == n) throw new IllegalStateException("simulated crash");
      }
    };
  }
}
