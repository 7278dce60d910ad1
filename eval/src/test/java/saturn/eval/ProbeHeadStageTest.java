package saturn.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.eval.format.EvalTableFormat;
import saturn.eval.format.Table;
import saturn.eval.format.TableReader;
import saturn.ingest.TokenArtifact;

class ProbeHeadStageTest {
  static final long SEED = Long.getLong("tests.seed", 5L);

  @Test
  void lowRankHeadsLearnAndRankLimitsThem(@TempDir Path tmp) throws Exception {
    Path root = tmp.resolve("tiny");
    new HfCheckpointFixture(96, 32, 2, 2, 64, SEED).write(root.resolve("step100"));
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    TokenArtifact tokens = HfCheckpointFixture.tokens(ws, 90, 20000, "cd".repeat(32), SEED, true);
    ProbeConfig cfg = ProbeConfig.builder().optRanks(List.of(1, 32)).optTrainTokens(8192).optBatchTokens(256)
        .optContextLength(32).optEvalTokens(1024).optLearningRate(2e-2).build();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Artifact a = TestEval.probe(ws, cfg, root.toString(), tokens, new PrintStream(log, true, StandardCharsets.UTF_8));
    Table t = TableReader.read(a.verifiedFile("probe_head.arrow"), EvalTableFormat.PROBE);
    assertEquals(2, t.rows());
    double r1 = t.dbl("eval_loss", 0), r32 = t.dbl("eval_loss", 1);
    String why = log.toString(StandardCharsets.UTF_8) + " (seed " + SEED + ")";
    // 90% of next tokens are a function of the current one: a full-rank head gets far below the uniform ln 89
    assertTrue(r32 < Math.log(89) - 1.0, why);
    assertTrue(r1 > r32 + 0.5, "rank 1 cannot express an 89-way permutation: " + why);
    assertTrue(Files.size(a.verifiedFile("loss_vs_rank.png")) > 500);
    assertTrue(t.dbl("original_head_loss", 0) > 3, "the random original head knows nothing: " + why);

    IllegalArgumentException mem = assertThrows(IllegalArgumentException.class, () -> TestEval.probe(ws,
        ProbeConfig.builder().optRanks(List.of(4)).optTrainTokens(1 << 20).optContextLength(32).optMemoryBytes(1 << 20).build(),
        root.toString(), tokens, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    assertTrue(mem.getMessage().contains("raise --memory"), mem.getMessage());
  }
}
