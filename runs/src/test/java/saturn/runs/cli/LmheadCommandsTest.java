package saturn.runs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Workspace;

/** `saturn train` / `saturn grok` through the CLI: options reach the stage, errors are one line with exit codes. */
class LmheadCommandsTest {
  @TempDir Path tmp;

  private String[] run(int expectedExit, String... args) {
    CliRun r = CliRun.expect(expectedExit, args);
    return new String[] {r.out(), r.err()};
  }

  @Test
  void trainWithoutTokensSaysWhatToDo() {
    String[] r = run(3, "train", "--workspace", tmp.toString(), "--steps", "2");
    assertTrue(r[1].contains("no token artifact") && r[1].contains("saturn ingest"), r[1]);
    assertFalse(java.nio.file.Files.exists(tmp.resolve("registry.sqlite")), "nothing was recorded for a refused command");
  }

  @Test
  void badHeadIsAOneLineError() {
    String[] r = run(3, "train", "--workspace", tmp.toString(), "--head", "lowrank:x");
    assertTrue(r[1].contains("--head lowrank:x"), r[1]);
  }

  @Test
  void grokWritesAnArtifactWithMetrics() throws Exception {
    String[] r = run(0, "grok", "--workspace", tmp.toString(), "--modulus", "7", "--epochs", "4", "--quiet",
        "--optimizer", "ortho-adamw", "--loss", "stablemax", "--threads", "1");
    assertTrue(r[0].contains("grok-") && r[0].contains("did not grok in 4 epochs"), r[0]);
    assertTrue(r[0].contains("final accuracy: train"), r[0]);
    var a = Workspace.open(tmp).newest("grok").orElseThrow();
    assertEquals(5, Files.readAllLines(a.verifiedFile("metrics.csv")).size(), "header + 4 epochs");
    assertEquals("stablemax", a.manifest().config().path("loss").asText());
  }

  @Test
  void benchTrainPrintsThroughputAndUtilisationPerCase() throws Exception {
    String[] r = run(0, "bench", "train", "--presets", "tiny", "--cases", "softmax/adamw,stablemax/ortho-adamw",
        "--batch", "1", "--seq-len", "16", "--vocab", "300", "--warmup", "1", "--steps", "2", "--threads", "1",
        "--peak-tflops", "1");
    var lines = r[0].lines().filter(l -> l.contains("\"bench\"")).map(l -> {
      try {
        return saturn.artifact.Json.MAPPER.readTree(l);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).toList();
    assertEquals(2, lines.size(), r[0]);
    for (var l : lines) {
      assertEquals("cpu", l.path("device").asText());
      assertTrue(l.path("ms_per_step").asDouble() > 0 && l.path("tokens_per_s").asDouble() > 0, l.toString());
      // tiny at T=16, V=384: 6 * (2 layers * 12 * 64^2 + head 384 * 64) + 12 * 2 * 64 * 16 FLOPs per token
      double flopsPerToken = 6.0 * (2 * (12 * 64 * 64 + 13 * 64) + 2 * 64 + 384 * 64) + 12.0 * 2 * 64 * 16;
      assertEquals(flopsPerToken * l.path("tokens_per_s").asDouble() / 1e12, l.path("model_tflops").asDouble(), 1e-3);
      assertEquals(l.path("model_tflops").asDouble(), l.path("mfu").asDouble(), 1e-3, "peak 1 TFLOP/s");
      if (l.has("pytorch_ms_per_step")) assertTrue(l.path("pytorch_mfu").asDouble() >= 0, l.toString());
    }
    assertTrue(lines.get(1).has("step_time_vs_softmax_adamw"), lines.get(1).toString());
  }
}
