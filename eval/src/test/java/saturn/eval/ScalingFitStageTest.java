package saturn.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Artifact;
import saturn.artifact.CorruptArtifactException;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.eval.format.EvalTableFormat;
import saturn.eval.format.Table;
import saturn.eval.format.TableReader;
import saturn.eval.law.ChinchillaLaw;

class ScalingFitStageTest {
  static final long SEED = Long.getLong("tests.seed", 99L);

  /** Pythia-like series: 6 sizes, log-spaced steps; sizes below 200M rise late by `rise` relative after step 40k. */
  static List<CheckpointLoss> series(double rise, SplittableRandom r) {
    ChinchillaLaw law = ChinchillaLaw.BESIROGLU_2024;
    double[][] sizes = {{70e6, 19e6}, {160e6, 85e6}, {410e6, 302e6}, {1.4e9, 1.2e9}, {2.8e9, 2.5e9}, {6.9e9, 6.4e9}};
    String[] names = {"70m", "160m", "410m", "1.4b", "2.8b", "6.9b"};
    List<CheckpointLoss> out = new ArrayList<>();
    for (int m = 0; m < sizes.length; m++) {
      for (long step = 1000; step <= 143000; step += 10000) {
        double d = step * 2_097_152.0;
        double l = law.loss(sizes[m][0], d) * Math.exp(0.002 * r.nextGaussian());
        if (sizes[m][0] < 200e6 && step > 40000) l *= 1 + rise * (step - 40000) / 103000.0;
        out.add(new CheckpointLoss(names[m], sizes[m][0], sizes[m][1], step, d, l));
      }
    }
    return out;
  }

  @Test
  void verdictsFlagLateRiseAndGapsOfSmallModels() {
    List<CheckpointLoss> data = series(0.08, new SplittableRandom(SEED));
    Saturation.Result res = Saturation.judge(data, FitConfig.builder().optReferenceModels(List.of("1.4b", "2.8b", "6.9b")).build());
    assertEquals(6, res.verdicts().size());
    for (Saturation.Verdict v : res.verdicts()) {
      String why = v + " (seed " + SEED + ")";
      if (v.params() < 200e6) {
        assertTrue(v.roseLate(), why);
        assertTrue(v.riseStartStep() >= 31000 && v.riseStartStep() <= 55000, why);
        assertEquals(0.08, v.gapFinal(), 0.035, why); // extrapolated from 3 sizes: a few % off
        assertTrue(v.gapBest() < v.gapFinal(), why);
      } else {
        assertFalse(v.roseLate(), why);
        assertEquals(0.0, v.gapFinal(), 0.01, why);
      }
    }
    assertTrue(res.verdicts().get(5).reference() && !res.verdicts().get(0).reference());
  }

  @Test
  void verdictsNeedTwoReferenceSizes() {
    List<CheckpointLoss> data = series(0, new SplittableRandom(SEED));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Saturation.judge(data, FitConfig.builder().optReferenceModels(List.of("6.9b")).build()));
    assertTrue(e.getMessage().contains("at least 2 model sizes"), e.getMessage());
  }

  @Test
  void fitStageFromCsvPublishesTablesChartsAndRefusesTooFewPoints(@TempDir Path tmp) throws Exception {
    List<CheckpointLoss> data = series(0.05, new SplittableRandom(SEED));
    StringBuilder csv = new StringBuilder("model,step,tokens,params,params_nonembedding,loss\n");
    for (CheckpointLoss c : data) {
      csv.append(c.model()).append(',').append(c.step()).append(',').append(c.tokens()).append(',').append(c.paramsTotal())
          .append(',').append(c.paramsNonEmbedding()).append(',').append(c.loss()).append('\n');
    }
    Path file = tmp.resolve("points.csv");
    Files.writeString(file, csv);
    List<CheckpointLoss> read = PointsCsv.read(file);
    assertEquals(data.size(), read.size());
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    FitConfig cfg = FitConfig.builder().optParams(ParamsKind.NON_EMBEDDING).optBootstrapResamples(10).build();
    Artifact a = TestEval.fitCsv(ws, cfg, ScalingFitStage.Laws.BOTH, file);
    JsonNode fit = Json.MAPPER.readTree(a.verifiedFile("fit.json").toFile());
    assertEquals("non-embedding", fit.get("params").asText());
    assertTrue(fit.get("chinchilla").get("intervals").get("alpha").get("low").isNumber(), fit.toString());
    assertEquals(List.of("6.9b", "2.8b", "1.4b"), Json.MAPPER.convertValue(fit.get("saturation").get("referenceModels"), List.class));
    Table v = TableReader.read(a.verifiedFile("verdicts.arrow"), EvalTableFormat.VERDICTS);
    assertEquals(6, v.rows());
    for (String f : List.of("verdicts.csv", "points.arrow", "loss_vs_step.svg", "loss_vs_step.png", "loss_vs_params.png")) {
      assertTrue(Files.size(a.verifiedFile(f)) > 100, f);
    }
    assertEquals(a.id(), TestEval.fitCsv(ws, cfg, ScalingFitStage.Laws.BOTH, file).id(), "same inputs, same artifact");

    // flipped byte: the reader trusts no file whose checksum differs from the manifest
    Path arrow = a.dir().resolve("verdicts.arrow");
    byte[] bytes = Files.readAllBytes(arrow);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(arrow, bytes);
    assertThrows(CorruptArtifactException.class, () -> a.verifiedFile("verdicts.arrow"));

    Path three = tmp.resolve("three.csv");
    Files.write(three, Files.readAllLines(file).subList(0, 4));
    IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
        () -> TestEval.fitCsv(ws, cfg, ScalingFitStage.Laws.CHINCHILLA, three));
    assertTrue(few.getMessage().contains("5 parameters but only 3"), few.getMessage());
  }

  @Test
  void tableRoundTripAndForeignFileIsCorrupt(@TempDir Path tmp) throws Exception {
    Table t = new Table("checkpoints").column("model", Table.Type.STRING).column("step", Table.Type.LONG)
        .column("loss", Table.Type.DOUBLE).column("ok", Table.Type.BOOLEAN);
    t.row("a", 1L, 2.5, true).row("b", null, Double.NaN, false);
    saturn.eval.format.TableWriter.write(t, tmp);
    Table back = TableReader.read(tmp.resolve("checkpoints.arrow"), "checkpoints");
    assertEquals(2, back.rows());
    assertEquals("b", back.string("model", 1));
    assertEquals(null, back.get("step").values().get(1));
    assertTrue(Double.isNaN(back.dbl("loss", 1)));
    assertEquals(true, back.get("ok").values().get(0));
    assertEquals("model,step,loss,ok\na,1,2.5,true\nb,,nan,false\n", Files.readString(tmp.resolve("checkpoints.csv")));
    assertThrows(CorruptArtifactException.class, () -> TableReader.read(tmp.resolve("checkpoints.arrow"), "verdicts"));
    Files.writeString(tmp.resolve("x.arrow"), "not arrow at all");
    assertThrows(CorruptArtifactException.class, () -> TableReader.read(tmp.resolve("x.arrow"), null));
  }

  @Test
  void pyarrowReadsTheTables(@TempDir Path tmp) throws Exception {
    Table t = new Table("checkpoints").column("model", Table.Type.STRING).column("step", Table.Type.LONG)
        .column("loss", Table.Type.DOUBLE).column("ok", Table.Type.BOOLEAN);
    t.row("pythia-70m", 143000L, 3.25, true).row("pythia-70m", null, 3.5, false);
    saturn.eval.format.TableWriter.write(t, tmp);
    String script = "import sys, pyarrow.feather as f\nt = f.read_table(sys.argv[1])\n"
        + "print(t.schema.metadata[b'saturn.table'].decode(), t.num_rows, t.column('model').to_pylist()[0],"
        + " t.column('step').to_pylist(), t.column('loss').to_pylist(), t.column('ok').to_pylist())\n";
    Process p;
    try {
      p = new ProcessBuilder("python3", "-c", script, tmp.resolve("checkpoints.arrow").toString()).redirectErrorStream(true).start();
    } catch (java.io.IOException noPython) {
      org.junit.jupiter.api.Assumptions.abort("python3 not found");
      return;
    }
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    int rc = p.waitFor();
    org.junit.jupiter.api.Assumptions.assumeFalse(out.contains("No module named 'pyarrow'"), "pyarrow not installed");
    assertEquals(0, rc, out);
    assertEquals("checkpoints 2 pythia-70m [143000, None] [3.25, 3.5] [True, False]", out);
  }
}
