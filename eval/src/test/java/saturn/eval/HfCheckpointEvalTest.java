package saturn.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
import saturn.eval.metrics.CrossEntropy;
import saturn.ingest.TokenArtifact;
import saturn.lmhead.GptNeoXConfig;
import saturn.lmhead.GptNeoXModel;
import saturn.lmhead.engine.TorchRuntime;

class HfCheckpointEvalTest {
  static final long SEED = Long.getLong("tests.seed", 42L);
  static final String SHA = "ab".repeat(32);

  @Test
  void hfCheckpointGivesTheReferenceLogits(@TempDir Path tmp) throws Exception {
    HfCheckpointFixture f = new HfCheckpointFixture(96, 32, 2, 2, 64, SEED);
    Path dir = tmp.resolve("pythia-test").resolve("step1000");
    f.write(dir);
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    TokenArtifact tokens = HfCheckpointFixture.tokens(ws, 90, 4000, SHA, SEED);
    CheckpointSource src = CheckpointSource.ofDirectory(tmp.resolve("pythia-test"));
    assertEquals(1, src.checkpoints().size());
    assertEquals(1000, src.checkpoints().get(0).step());
    EvalConfig cfg = EvalConfig.builder().optContextLength(16).build();
    GptNeoXConfig c = EvalStage.inspect(src.checkpoints().get(0), cfg, tokens, null, null);
    assertEquals(90, c.realVocabSize(), "a Pythia config.json does not state the real vocabulary: the token artifact's is used");
    assertEquals(6, c.paddedRows());
    int[] ids = {0, 5, 17, 89, 3, 3, 44, 12, 71, 9, 60, 2, 33, 8, 1, 50, 77, 25, 13, 6};
    double[][] expected = f.logits(ids);
    TorchRuntime.engine(2);
    try (NDManager m = NDManager.newBaseManager("PyTorch");
         GptNeoXModel model = EvalStage.load(m, new EvalStage.Accepted("t", src.checkpoints().get(0), c, 0))) {
      float[] got = model.forward(m.create(ids, new Shape(1, ids.length)), false).logits().toFloatArray();
      double maxDiff = 0, maxAbs = 0;
      for (int i = 0; i < ids.length; i++) {
        for (int v = 0; v < f.vocab; v++) {
          maxDiff = Math.max(maxDiff, Math.abs(got[i * f.vocab + v] - expected[i][v]));
          maxAbs = Math.max(maxAbs, Math.abs(expected[i][v]));
        }
      }
      assertTrue(maxAbs > 1, "logits are not trivially small: " + maxAbs);
      assertTrue(maxDiff < 2e-4, "max |logit - reference| = " + maxDiff + " (seed " + SEED + ")");
    }
  }

  @Test
  void seriesIsScoredAndBadCheckpointsAreReportedByName(@TempDir Path tmp) throws Exception {
    Path root = tmp.resolve("pythia-test");
    for (int s : new int[] {0, 1, 2, 4}) new HfCheckpointFixture(96, 32, 2, 2, 64, SEED + s).write(root.resolve("step" + s));
    Files.createDirectories(root.resolve("step8")); // partial: a download that never finished
    Files.writeString(root.resolve("step8").resolve("config.json"), "{}");
    new HfCheckpointFixture(64, 32, 2, 2, 64, SEED).write(root.resolve("step16")); // vocabulary smaller than the tokens'
    new HfCheckpointFixture(96, 48, 2, 2, 64, SEED).write(root.resolve("step32")); // another model size
    new HfCheckpointFixture(96, 32, 2, 2, 64, SEED).write(root.resolve("step64"));
    Files.writeString(root.resolve("step64").resolve("tokenizer.json"), "{\"model\":\"another\"}"); // another tokenizer
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    TokenArtifact tokens = HfCheckpointFixture.tokens(ws, 90, 4000, SHA, SEED);
    CheckpointSource src = CheckpointSource.ofDirectory(root);
    EvalConfig cfg = EvalConfig.builder().optContextLength(16).optEvalTokens(512).optAnisotropyTokens(64)
        .optPerPosition(true).optTokensPerStep(1000).build();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Artifact a = TestEval.eval(ws, cfg, root.toString(), tokens, new PrintStream(log, true, StandardCharsets.UTF_8));
    String out = log.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("step8 [partial]"), out);
    assertTrue(out.contains("step16 [vocab]"), out);
    assertTrue(out.contains("step32 [shape]"), out);
    assertTrue(out.contains("step64 [tokenizer]"), out);
    Table ck = TableReader.read(a.verifiedFile("checkpoints.arrow"), EvalTableFormat.CHECKPOINTS);
    assertEquals(4, ck.rows());
    assertEquals(List.of(0L, 1L, 2L, 4L), ck.get("step").values());
    assertEquals(4000.0, ck.dbl("tokens", 3));
    assertEquals(512L, ck.lng("scored_tokens", 0));
    assertEquals(90L, ck.lng("head_rows", 0));
    assertEquals(6L, ck.lng("padded_rows", 0));

    // the loss is the reference model's mean cross-entropy on the same seeded sample
    TokenSample sample = TokenSample.draw(tokens, 512, 16, cfg.seed());
    HfCheckpointFixture f1 = new HfCheckpointFixture(96, 32, 2, 2, 64, SEED + 1);
    double sum = 0;
    for (int[] w : sample.tokens()) {
      double[][] lg = f1.logits(java.util.Arrays.copyOf(w, 16));
      for (int i = 0; i < 16; i++) {
        float[] row = new float[96];
        for (int v = 0; v < 96; v++) row[v] = (float) lg[i][v];
        sum += CrossEntropy.of(row, 0, 96, w[i + 1]);
      }
    }
    assertEquals(sum / sample.scoredTokens(), ck.dbl("loss", 1), 1e-4);

    Table layers = TableReader.read(a.verifiedFile("metrics.arrow"), EvalTableFormat.LAYERS);
    assertEquals(4 * 3, layers.rows(), "checkpoint x (embeddings, block_0, final LN)");
    for (int r = 0; r < layers.rows(); r++) {
      double an = layers.dbl("anisotropy", r);
      assertTrue(an > -0.1 && an < 1, "anisotropy " + an);
    }
    Table spec = TableReader.read(a.verifiedFile("head_spectrum.arrow"), EvalTableFormat.HEAD_SPECTRUM);
    assertEquals(4 * 32, spec.rows());
    assertEquals(1.0, spec.dbl("sigma_normalized", 0), 0);
    assertEquals(4 * 16, TableReader.read(a.verifiedFile("per_position.arrow"), EvalTableFormat.POSITIONS).rows());
    assertTrue(Files.readString(a.verifiedFile("problems.csv")).contains("step32,shape"));
    for (String chart : List.of("loss_vs_step.png", "loss_vs_step.svg", "anisotropy_last_vs_step.png",
        "anisotropy_layers_pythia-test.png", "head_spectrum_pythia-test.png", "singular_entropy_normalized_vs_step.svg")) {
      assertTrue(Files.size(a.verifiedFile(chart)) > 500, chart);
    }

    // the fit stage reads the eval artifact's checkpoint table
    List<CheckpointLoss> pts = ScalingFitStage.fromEvalArtifact(a);
    assertEquals(4, pts.size());
    IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
        () -> TestEval.fitEvals(ws, FitConfig.builder().optBootstrapResamples(0).build(), ScalingFitStage.Laws.CHINCHILLA, List.of(a.id())));
    assertTrue(few.getMessage().contains("only 3 point"), few.getMessage()); // step 0 has D = 0

    IllegalArgumentException strict = assertThrows(IllegalArgumentException.class, () -> TestEval.eval(ws,
        EvalConfig.builder().optContextLength(16).optEvalTokens(512).optStrict(true).build(), root.toString(), tokens,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    assertTrue(strict.getMessage().contains("4 checkpoint(s) cannot be evaluated"), strict.getMessage());
  }

  @Test
  void hubIdOfflineFailsWithOneLine(@TempDir Path tmp) throws Exception {
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    String old = System.getProperty("saturn.hf.endpoint");
    System.setProperty("saturn.hf.endpoint", "http://127.0.0.1:9"); // the discard port: nothing listens, connection refused
    try {
      java.io.IOException e = assertThrows(java.io.IOException.class,
          () -> CheckpointSource.resolve(ws, "EleutherAI/pythia-70m", List.of("step143000")));
      assertTrue(e.getMessage().startsWith("cannot reach http://127.0.0.1:9 to fetch EleutherAI/pythia-70m"), e.getMessage());
      assertTrue(e.getMessage().contains("pass --checkpoints DIR") && !e.getMessage().contains("\n"), e.getMessage());
    } finally {
      if (old == null) System.clearProperty("saturn.hf.endpoint");
      else System.setProperty("saturn.hf.endpoint", old);
    }
  }

  @Test
  void collapseFractionsMatchTheReferenceOnACollapsedModel(@TempDir Path tmp) throws Exception {
    HfCheckpointFixture f = new HfCheckpointFixture(96, 32, 2, 2, 64, SEED);
    float[] head = f.w.get("embed_out.weight");
    for (int i = 0; i < head.length; i++) head[i] *= 12; // logit gaps of tens: collapse in fp16, often fp32, sometimes fp64
    Path dir = tmp.resolve("big").resolve("step7");
    f.write(dir);
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    TokenArtifact tokens = HfCheckpointFixture.tokens(ws, 90, 4000, SHA, SEED);
    EvalConfig cfg = EvalConfig.builder().optContextLength(16).build();
    CheckpointRef ref = CheckpointSource.ofDirectory(tmp.resolve("big")).checkpoints().get(0);
    GptNeoXConfig c = EvalStage.inspect(ref, cfg, tokens, null, null);
    TokenSample sample = TokenSample.draw(tokens, 640, 16, 9);
    double[] want = new double[6];
    for (int[] w : sample.tokens()) {
      double[][] lg = f.logits(java.util.Arrays.copyOf(w, 16));
      for (int i = 0; i < 16; i++) {
        float[] row = new float[96];
        for (int v = 0; v < 96; v++) row[v] = (float) lg[i][v];
        double[] s = new double[7];
        saturn.eval.metrics.SoftmaxCollapse.tokenStats(row, 0, 96, w[i + 1], s);
        for (int k = 0; k < 6; k++) want[k] += s[1 + k] / sample.scoredTokens();
      }
    }
    assertTrue(want[4] > 0.3 && want[0] < want[4], "the fixture collapses in fp16 more than in fp64: " + java.util.Arrays.toString(want));
    TorchRuntime.engine(2);
    for (double copyAll : new double[] {0.0, 1.0}) { // near-threshold rows copied with their batch, and one by one
      saturn.eval.internal.CheckpointEvaluator.copyAllRowsFraction = copyAll;
      long batchBytes = copyAll == 0 ? 256L << 20 : 16 * 96 * 4;
      try (NDManager m = NDManager.newBaseManager("PyTorch"); GptNeoXModel model = EvalStage.load(m, new EvalStage.Accepted("t", ref, c, 0))) {
        var met = saturn.eval.internal.CheckpointEvaluator.evaluate(model, m, sample, 0, false, false, batchBytes);
        double tol = 2.5 / sample.scoredTokens(); // float32 engine logits vs the double reference may flip a row at a threshold
        assertEquals(want[0], met.collapse()[0], tol, "fp64");
        assertEquals(want[2], met.collapse()[1], tol, "fp32");
        assertEquals(want[4], met.collapse()[2], tol, "fp16");
        assertEquals(want[5], met.zeroLoss()[2], tol, "zero loss fp16");
      } finally {
        saturn.eval.internal.CheckpointEvaluator.copyAllRowsFraction = 0.125;
      }
    }
  }

  @Test
  void aStableMaxModelIsScoredWithStableMax(@TempDir Path tmp) throws Exception {
    HfCheckpointFixture f = new HfCheckpointFixture(96, 32, 2, 2, 64, SEED);
    Path dir = tmp.resolve("sm").resolve("step3");
    f.write(dir);
    Path config = dir.resolve("config.json");
    var json = (com.fasterxml.jackson.databind.node.ObjectNode) saturn.artifact.Json.MAPPER.readTree(config.toFile());
    json.putObject("saturn").put("head", "stablemax").put("stablemax_float64", true);
    java.nio.file.Files.writeString(config, json.toString());
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    TokenArtifact tokens = HfCheckpointFixture.tokens(ws, 90, 4000, SHA, SEED);
    EvalConfig cfg = EvalConfig.builder().optContextLength(16).build();
    CheckpointRef ref = CheckpointSource.ofDirectory(tmp.resolve("sm")).checkpoints().get(0);
    GptNeoXConfig c = EvalStage.inspect(ref, cfg, tokens, null, null);
    assertEquals(saturn.lmhead.HeadSpec.Loss.STABLEMAX, c.head().loss());
    TokenSample sample = TokenSample.draw(tokens, 320, 16, 5);
    double want = 0;
    for (int[] w : sample.tokens()) {
      double[][] lg = f.logits(java.util.Arrays.copyOf(w, 16));
      for (int i = 0; i < 16; i++) {
        double sum = 0;
        for (double z : lg[i]) sum += z >= 0 ? z + 1 : 1 / (1 - z);
        double zy = lg[i][w[i + 1]];
        want += (Math.log(sum) - Math.log(zy >= 0 ? zy + 1 : 1 / (1 - zy))) / sample.scoredTokens();
      }
    }
    TorchRuntime.engine(2);
    try (NDManager m = NDManager.newBaseManager("PyTorch"); GptNeoXModel model = EvalStage.load(m, new EvalStage.Accepted("t", ref, c, 0))) {
      var met = saturn.eval.internal.CheckpointEvaluator.evaluate(model, m, sample, 0, false, false, 256L << 20);
      assertEquals(want, met.loss(), 1e-4, "StableMax cross-entropy, not softmax's");
    }
  }
}
