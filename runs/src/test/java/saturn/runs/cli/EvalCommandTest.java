package saturn.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
  @TempDir Path tmp;

  private String run(int expectedExit, String... args) {
    return CliRun.expect(expectedExit, args).all();
  }

  @Test
  void fitFromCsvPrintsLawsAndVerdicts() throws Exception {
    StringBuilder csv = new StringBuilder("model,step,tokens,params,params_nonembedding,loss\n");
    double[][] sizes = {{70e6, 19e6}, {160e6, 85e6}, {410e6, 302e6}, {1.4e9, 1.2e9}, {2.8e9, 2.5e9}};
    String[] names = {"70m", "160m", "410m", "1.4b", "2.8b"};
    for (int m = 0; m < sizes.length; m++) {
      for (long step = 8000; step <= 143000; step += 15000) {
        double d = step * 2_097_152.0;
        double loss = 1.8172 + 482.01 / Math.pow(sizes[m][0], 0.3478) + 2085.43 / Math.pow(d, 0.3658);
        if (m == 0 && step > 60000) loss *= 1 + 0.06 * (step - 60000) / 83000.0;
        csv.append(names[m]).append(',').append(step).append(',').append(d).append(',').append(sizes[m][0]).append(',')
            .append(sizes[m][1]).append(',').append(loss).append('\n');
      }
    }
    Path file = tmp.resolve("pythia.csv");
    Files.writeString(file, csv);
    String out = run(0, "eval", "fit", "--csv", file.toString(), "--workspace", tmp.resolve("ws").toString(), "--bootstrap", "5");
    assertTrue(out.contains("Chinchilla: L(N,D) = "), out);
    assertTrue(out.contains("Kaplan: L(N) = "), out);
    assertTrue(out.contains("saturation (law fitted on [\"2.8b\",\"1.4b\"])"), out);
    assertTrue(out.lines().anyMatch(l -> l.contains("70m") && l.contains("yes, from step")), out);

    String few = run(ExitCodes.BAD_INPUT, "eval", "fit", "--csv", file.toString(), "--workspace", tmp.resolve("ws").toString(),
        "--params", "sideways");
    assertTrue(few.contains("--params must be total or non-embedding"), few);
    Path small = tmp.resolve("small.csv");
    Files.writeString(small, "params,tokens,loss\n1e8,1e9,3.1\n1e9,1e10,2.7\n");
    String refused = run(ExitCodes.BAD_INPUT, "eval", "fit", "--csv", small.toString(), "--workspace", tmp.resolve("ws").toString());
    assertTrue(refused.contains("5 parameters but only 2 point(s)"), refused);
  }

  @Test
  void benchEvalPrintsJsonLines() throws Exception {
    String out = run(0, "bench", "eval", "--cases", "fit", "--fit-points", "25");
    String line = out.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow(() -> new AssertionError(out));
    var j = saturn.artifact.Json.MAPPER.readTree(line);
    assertEquals("chinchilla-fit", j.get("case").asText(), line);
    assertEquals(4500, j.get("starts").asInt(), line);
    assertTrue(j.get("seconds").asDouble() > 0, line);
  }

  /** A token artifact of random ids (vocabulary 200) with a validation split. */
  static String tokens(saturn.artifact.Workspace ws) throws Exception {
    var spec = saturn.artifact.ArtifactSpec.of(saturn.ingest.TokenArtifact.STAGE, saturn.ingest.format.TokenShardFormat.FORMAT_NAME,
        saturn.ingest.format.TokenShardFormat.FORMAT_VERSION, java.util.Map.of("test", "eval-cli"), java.util.List.of());
    return ws.obtain(spec, pending -> {
      java.util.SplittableRandom r = new java.util.SplittableRandom(1);
      for (String split : java.util.List.of("train", "val")) {
        try (var w = new saturn.ingest.format.TokenShardWriter(pending.dir(), split, 200, 1_000_000)) {
          w.beginDocument();
          for (int i = 0; i < 3000; i++) w.write(r.nextInt(200));
        }
      }
      pending.stats(java.util.Map.of("vocabSize", 200, "eotToken", 0, "tokenizerName", "test", "tokenizerSha256", "ef".repeat(32)));
    }).id();
  }

  @Test
  void evalScoresAnHfDirectoryAndStrictRefusesAPartialCheckpoint() throws Exception {
    Path ws = tmp.resolve("ws");
    String tok = tokens(saturn.artifact.Workspace.open(ws));
    Path dir = tmp.resolve("tiny-hf");
    saturn.lmhead.engine.TorchRuntime.engine(2);
    try (var m = ai.djl.ndarray.NDManager.newBaseManager("PyTorch")) {
      for (int step : new int[] {10, 20}) {
        try (var model = saturn.lmhead.GptNeoXModel.create(m,
            saturn.lmhead.GptNeoXConfig.preset("tiny", 200, 64, saturn.lmhead.HeadSpec.SOFTMAX), step)) {
          model.save(dir.resolve("step" + step), java.util.Map.of());
        }
      }
    }
    Files.createDirectories(dir.resolve("step30")); // an unfinished download
    String out = run(0, "eval", "--checkpoints", dir.toString(), "--tokens", tok, "--context", "32", "--eval-tokens", "256",
        "--anisotropy-tokens", "64", "--threads", "2", "--workspace", ws.toString());
    assertTrue(out.contains("step30 [partial]"), out);
    assertTrue(out.contains("tiny-hf/step20: loss"), out);
    assertTrue(out.contains("eval: eval-"), out);
    String fit = run(ExitCodes.BAD_INPUT, "eval", "fit", "--workspace", ws.toString());
    assertTrue(fit.contains("using the newest eval artifact") && fit.contains("5 parameters but only 2 point(s)"), fit);
    String strict = run(ExitCodes.BAD_INPUT, "eval", "--checkpoints", dir.toString(), "--tokens", tok, "--context", "32",
        "--eval-tokens", "256", "--strict", "--workspace", ws.toString());
    assertTrue(strict.contains("1 checkpoint(s) cannot be evaluated, first step30 [partial]"), strict);
  }
}
