package saturn.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.runs.plan.Plan;
import saturn.runs.plan.Planner;
import saturn.runs.spec.SpecException;
import saturn.runs.spec.SpecParser;

/** PlanNode options are checked by the real stages' configs when the plan is made, and errors name the option's line. */
class StageOptionsTest {
  private static SpecException planFails(Path dir, String ingestOptions, String tail) throws Exception {
    Files.writeString(dir.resolve("a.txt"), TestSpecs.TEXT_A);
    Path spec = dir.resolve("s.yaml");
    Files.writeString(spec, "name: opts\n"
        + "corpora:\n"
        + "  - name: a\n"
        + "    path: a.txt\n"
        + "    ingest:\n"
        + "      val_fraction: 0.1\n"
        + "      " + ingestOptions + "\n"
        + "tokenizers: [gpt2]\n"
        + tail);
    return assertThrows(SpecException.class, () -> Planner.plan(SpecParser.parse(spec), new SaturnStages()));
  }

  @Test
  void unknownOrBadOptionsNameTheirLine(@TempDir Path tmp) throws Exception {
    SpecException e = planFails(tmp, "seed: 1", "ngram:\n  order: 5\n  ordr: 3\n");
    assertEquals(11, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("unknown option 'ordr'"), e.getMessage());

    e = planFails(tmp, "seed: 1", "ngram: {order: 1}\n");
    assertEquals(9, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("--order must be in [2, 8]"), e.getMessage());

    e = planFails(tmp, "seed: 1", "models:\n  presets: [tiny]\n  steps: 10\n  options:\n    batch_size: 4\n    lr: fast\n");
    assertEquals(14, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("lr: 'fast' is not a number"), e.getMessage());

    e = planFails(tmp, "seed: 1", "models:\n  presets: [huge]\n  steps: 10\n");
    assertEquals(9, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("huge"), e.getMessage());

    e = planFails(tmp, "split_txt: sentences", "");
    assertEquals(7, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains("split_txt"), e.getMessage());
  }

  @Test
  void theExampleSpecsPlanWithTheRealStages(@TempDir Path tmp) throws Exception {
    for (String name : new String[] {"quickstart.yaml", "head-sweep.yaml", "watch.yaml", "grokking.yaml"}) {
      Plan p = Planner.plan(SpecParser.parse(Path.of("examples", name)), new SaturnStages());
      assertTrue(p.size() >= 4, name);
    }
  }
}
