package saturn.lmhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.CorruptArtifactException;
import saturn.artifact.Workspace;
import saturn.ingest.TokenArtifact;
import saturn.lmhead.internal.MetricsTable;
import saturn.lmhead.optim.OptimizerConfig;

class TrainStageTest {

  static TrainSpec.Builder small() {
    return TrainSpec.builder().setTokens(saturn.stage.Inputs.inMemory("tokens")).setPreset("tiny").setSteps(12).optBatchSize(4).optSeqLen(32).optLr(3e-3)
        .optWarmupSteps(2).optEvalInterval(6).optEvalBatches(2).optCheckpointEvery(5).optCheckpointLogUntil(4)
        .optSeed(7);
  }

  static List<Double> losses(Path metricsCsv) throws Exception {
    MetricsTable t = MetricsTable.readCsv(metricsCsv);
    List<Double> out = new ArrayList<>();
    for (double[] r : t.rows()) out.add(r[2]);
    return out;
  }

  @Test
  void tinyModelOverfitsATinyCorpus(@TempDir Path tmp) throws Exception {
    Workspace ws = Workspace.open(tmp);
    TokenArtifact tokens = TestTokens.bytes(ws, TestTokens.TEXT, 4);
    TrainSpec c = small().setSteps(150).optLr(1e-2).optWarmupSteps(10).optEvalInterval(50)
        .optCheckpointEvery(1000).optOptimizer(OptimizerConfig.parse("adamw", 0.0, 0.9, 0.95, 1.0)).build();
    TrainStage.Result r = TestTrain.run(ws, tokens, c, false, saturn.stage.StageListener.SILENT);
    List<Double> l = losses(r.artifact().verifiedFile(TrainStage.METRICS_CSV));
    assertEquals(150, l.size());
    assertTrue(l.get(0) > 4.5, "initial loss near ln 384: " + l.get(0));
    assertTrue(r.finalLoss() < 1.0, "the tiny model should memorise 400 bytes of Dickens, loss " + r.finalLoss());
    assertTrue(r.finalValLoss() < 1.5, "val (the same text) loss " + r.finalValLoss());
    // checkpoints on the log schedule and at the end; the artifact's files verify
    for (long s : new long[] {0, 1, 2, 4, 150}) {
      Checkpoints.verify(r.artifact().dir().resolve("step_" + s));
    }
    assertFalse(Files.exists(r.artifact().dir().resolve("step_8")));
    assertTrue(r.artifact().verify().isEmpty());
    assertTrue(Files.size(r.artifact().dir().resolve(TrainStage.METRICS_ARROW)) > 0);
    // the same config again is the cached artifact
    assertTrue(TestTrain.run(ws, tokens, c, false, saturn.stage.StageListener.SILENT).cached());
  }

  @Test
  void resumedRunReproducesTheUninterruptedRunBitForBit(@TempDir Path tmp) throws Exception {
    for (String opt : List.of("ortho-adamw", "sgd")) {
      TrainSpec c = small().optHead(opt.equals("sgd") ? "lowrank:16+stablemax" : "softmax")
          .optOptimizer(OptimizerConfig.parse(opt, 0.1, 0.9, 0.95, 1.0)).build();
      Workspace a = Workspace.open(tmp.resolve(opt + "-a"));
      TrainStage.Result full = TestTrain.run(a, TestTokens.bytes(a, TestTokens.TEXT, 4), c, false, saturn.stage.StageListener.SILENT);

      Workspace b = Workspace.open(tmp.resolve(opt + "-b"));
      TokenArtifact tb = TestTokens.bytes(b, TestTokens.TEXT, 4);
      saturn.stage.StageListener crashAt7 = TestTrain.crashAt(7);
      assertThrows(IllegalStateException.class, () -> TestTrain.run(b, tb, c, false, crashAt7));
      // without --resume the partial run is not silently overwritten
      assertThrows(IllegalArgumentException.class, () -> TestTrain.run(b, tb, c, false, saturn.stage.StageListener.SILENT));
      TrainStage.Result resumed = TestTrain.run(b, tb, c, true, saturn.stage.StageListener.SILENT);
      assertEquals(5, resumed.resumedFromStep(), "newest checkpoint before the crash is step 5");
      assertEquals(losses(full.artifact().dir().resolve(TrainStage.METRICS_CSV)),
          losses(resumed.artifact().dir().resolve(TrainStage.METRICS_CSV)), opt);
      assertEquals(Files.readString(full.artifact().dir().resolve("step_12/model.safetensors"), java.nio.charset.StandardCharsets.ISO_8859_1),
          Files.readString(resumed.artifact().dir().resolve("step_12/model.safetensors"), java.nio.charset.StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void damagedCheckpointIsDetectedAndSkippedOnResume(@TempDir Path tmp) throws Exception {
    Workspace ws = Workspace.open(tmp);
    TokenArtifact tokens = TestTokens.bytes(ws, TestTokens.TEXT, 4);
    TrainSpec c = small().build();
    saturn.stage.StageListener crashAt7 = TestTrain.crashAt(7);
    assertThrows(IllegalStateException.class, () -> TestTrain.run(ws, tokens, c, false, crashAt7));
    Path run = TrainStage.runDir(ws, new TrainStage().identify(ws, TestTrain.on(tokens, c)));
    Path model = run.resolve("step_5").resolve(Checkpoints.MODEL_FILE);
    try (FileChannel ch = FileChannel.open(model, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, 3000);
      one.flip();
      one.put(0, (byte) (one.get(0) ^ 0x10));
      ch.write(one, 3000);
    }
    assertThrows(CorruptArtifactException.class, () -> Checkpoints.verify(run.resolve("step_5")));
    List<String> skipped = new ArrayList<>();
    assertEquals(run.resolve("step_4"), Checkpoints.latestIntact(run, skipped).orElseThrow());
    assertEquals(1, skipped.size());
    TrainStage.Result r = TestTrain.run(ws, tokens, c, true, saturn.stage.StageListener.SILENT);
    assertEquals(4, r.resumedFromStep());
  }

  @Test
  void divergenceStopsWithTheStepNamedAndKeepsCheckpoints(@TempDir Path tmp) throws Exception {
    Workspace ws = Workspace.open(tmp);
    TokenArtifact tokens = TestTokens.bytes(ws, TestTokens.TEXT, 4);
    TrainSpec c = small().optLr(1e30).optWarmupSteps(0)
        .optOptimizer(OptimizerConfig.parse("sgd", 0.0, 0, 0, 0.0).withMomentum(0)).build();
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
        () -> TestTrain.run(ws, tokens, c, false, saturn.stage.StageListener.SILENT));
    assertTrue(e.getMessage().contains("at step " + e.step()), e.getMessage());
    Checkpoints.verify(e.lastGoodCheckpoint());
  }

  @Test
  void gpuWithoutCudaIsAOneLineError(@TempDir Path tmp) throws Exception {
    Workspace ws = Workspace.open(tmp);
    TokenArtifact tokens = TestTokens.bytes(ws, TestTokens.TEXT, 1);
    org.junit.jupiter.api.Assumptions.assumeTrue(saturn.lmhead.engine.TorchRuntime.engine(2).getGpuCount() == 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TestTrain.run(ws, tokens, small().optDevice("gpu").build(), false, saturn.stage.StageListener.SILENT));
    assertTrue(e.getMessage().contains("no usable GPU") && !e.getMessage().contains("\n"), e.getMessage());
  }
}
