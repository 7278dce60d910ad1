package saturn.ngram;

import java.io.IOException;
import java.util.List;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.stage.Resources;
import saturn.stage.StageContext;

/** The ngram stages called the way the CLI and the pipeline call them, in one line each for tests. */
final class TestStages {
  private TestStages() {}

  static Artifact count(Workspace ws, int order, long memory, int threads, List<Artifact> tokens) throws IOException {
    return new NgramStage().run(NgramSpec.builder().setTokens(ids(tokens)).optOrder(order).build(), ctx(ws, memory, threads));
  }

  static Artifact merge(Workspace ws, int order, long memory, int threads, Artifact base, List<Artifact> tokens)
      throws IOException {
    return new NgramStage().run(NgramSpec.builder().setTokens(ids(tokens)).optMergeInto(base.id()).optOrder(order).build(),
        ctx(ws, memory, threads));
  }

  static Artifact matrix(Workspace ws, long minCount, long top, long sample, long seed, Artifact counts) throws IOException {
    return new ContextMatrixStage().run(new ContextMatrixSpec(counts.id(), minCount, top, sample, seed), StageContext.of(ws));
  }

  static StageContext ctx(Workspace ws, long memory, int threads) {
    return StageContext.of(ws).withResources(new Resources(threads, memory));
  }

  private static List<String> ids(List<Artifact> a) {
    return a.stream().map(Artifact::id).toList();
  }
}
