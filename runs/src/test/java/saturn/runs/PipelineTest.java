package saturn.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.runs.plan.Runner;
import saturn.runs.registry.Registry;
import saturn.runs.spec.RunSpec;
import saturn.runs.spec.SpecParser;

class PipelineTest {
  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  @Test
  void rerunFindsEverythingAndAnEditRecomputesOnlyWhatChanged(@TempDir Path tmp) throws Exception {
    Path specFile = TestSpecs.pipeline(tmp, "");
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    TestCatalog cat = new TestCatalog();
    Pipeline p = new Pipeline(ws, cat, QUIET);
    RunSpec spec = SpecParser.parse(specFile);

    Pipeline.Outcome first = p.run(spec, Pipeline.Settings.defaults());
    assertTrue(first.result().ok());
    int stages = first.result().stages().size();
    // 2 ingest, 2 ngram, 2 spectra, 4 train + 4 eval, 1 grok
    assertEquals(15, stages);
    assertEquals(stages, first.result().count(Runner.Outcome.DONE));
    assertTrue(Files.isRegularFile(first.report()));

    ByteArrayOutputStream dry = new ByteArrayOutputStream();
    new Pipeline(ws, cat, new PrintStream(dry, true, StandardCharsets.UTF_8)).dryRun(spec, Pipeline.Settings.defaults());
    assertTrue(dry.toString(StandardCharsets.UTF_8).contains("15 cached, 0 to run"), dry.toString(StandardCharsets.UTF_8));

    Map<String, Integer> before = Map.copyOf(cat.executed);
    Pipeline.Outcome second = p.run(spec, Pipeline.Settings.defaults());
    assertEquals(stages, second.result().count(Runner.Outcome.CACHED));
    assertEquals(before, cat.executed, "nothing may run again");
    for (String label : first.result().stages().keySet()) {
      assertEquals(first.result().artifact(label).id(), second.result().artifact(label).id(), label);
    }

    // Change only the spectra rank: ingest, ngram, train, eval are found; both spectra run again.
    Files.writeString(specFile, Files.readString(specFile).replace("spectra: {rank: 8}", "spectra: {rank: 4}"));
    RunSpec edited = SpecParser.parse(specFile);
    ByteArrayOutputStream plan = new ByteArrayOutputStream();
    List<Runner.PlannedStage> preview = new Pipeline(ws, cat, new PrintStream(plan, true, StandardCharsets.UTF_8)).dryRun(edited, Pipeline.Settings.defaults());
    assertEquals(2, preview.stream().filter(s -> !s.state().equals("cached")).count(), plan.toString(StandardCharsets.UTF_8));
    Pipeline.Outcome third = p.run(edited, Pipeline.Settings.defaults());
    assertEquals(2, third.result().count(Runner.Outcome.DONE));
    assertEquals(before.get("spectra") + 2, cat.executed.get("spectra"));
    assertEquals(before.get("ingest"), cat.executed.get("ingest"));
    assertNotEquals(first.result().artifact("spectra/a/gpt2").id(), third.result().artifact("spectra/a/gpt2").id());

    try (Registry r = Registry.open(ws)) {
      assertEquals(3, r.runs(10).size());
      assertEquals("done", r.run(third.runId()).orElseThrow().status());
      assertFalse(r.metrics(first.runId()).isEmpty());
      assertTrue(r.stages(second.runId()).stream().allMatch(s -> s.status().equals("cached")));
    }
  }

  @Test
  void stagesRunInParallelButTrainingsTakeTurns(@TempDir Path tmp) throws Exception {
    Path specFile = TestSpecs.pipeline(tmp, "");
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    TestCatalog cat = new TestCatalog(150);
    Pipeline.Outcome o = new Pipeline(ws, cat, QUIET).run(SpecParser.parse(specFile), new Pipeline.Settings(4, null, false, "run"));
    assertTrue(o.result().ok());
    assertEquals(2, cat.maxConcurrent.get("ingest"), "independent ingests run at once");
    assertEquals(1, cat.maxConcurrent.get("train"), "trainings share one gradient collector: never two at once");
    assertTrue(cat.maxConcurrent.get("eval") >= 1);
  }

  @Test
  void aSweepOverSeveralSizesGetsAScalingFitPerGroup(@TempDir Path tmp) throws Exception {
    Path specFile = TestSpecs.pipeline(tmp, "");
    Files.writeString(specFile, Files.readString(specFile).replace("presets: [tiny]", "presets: [tiny, small]"));
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    Pipeline.Outcome o = new Pipeline(ws, new TestCatalog(), QUIET).run(SpecParser.parse(specFile), Pipeline.Settings.defaults());
    assertTrue(o.result().ok());
    // one fit per corpus/tokenizer/head/optimizer, over the evals of both sizes
    assertEquals(4, o.result().stages().keySet().stream().filter(l -> l.startsWith("fit/")).count());
    try (Registry r = Registry.open(ws)) {
      Registry.StageRow fit = r.stages(o.runId()).stream().filter(s -> s.label().equals("fit/a/gpt2/softmax/adamw")).findFirst().orElseThrow();
      assertEquals(List.of("eval/a/gpt2/tiny/softmax/adamw/s0", "eval/a/gpt2/small/softmax/adamw/s0"), fit.inputs());
      assertEquals(2, fit.inputIds().size());
    }
  }

  @Test
  void aFailingStageFailsTheRunAndKeepsWhatSucceeded(@TempDir Path tmp) throws Exception {
    Path specFile = TestSpecs.pipeline(tmp, "");
    Files.writeString(specFile, Files.readString(specFile).replace("  corpora: [a]\n", "  corpora: [a]\n  options: {fail: true}\n"));
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    Pipeline.Outcome o = new Pipeline(ws, new TestCatalog(), QUIET).run(SpecParser.parse(specFile), Pipeline.Settings.defaults());
    assertFalse(o.result().ok());
    assertEquals(4, o.result().count(Runner.Outcome.FAILED)); // the four training stages
    assertEquals(4, o.result().count(Runner.Outcome.SKIPPED)); // their evals
    assertEquals(7, o.result().count(Runner.Outcome.DONE)); // ingest, ngram, spectra, grok
    for (var s : o.result().stages().values()) {
      if (s.outcome() == Runner.Outcome.DONE) {
        Artifact a = ws.get(s.artifact().id());
        assertTrue(a.verify().isEmpty(), a.id());
      } else {
        assertNull(s.artifact());
      }
    }
    try (Registry r = Registry.open(ws)) {
      Registry.RunRow run = r.run(o.runId()).orElseThrow();
      assertEquals("failed", run.status());
      assertNotNull(run.error());
      assertTrue(run.error().contains("failing as the spec asked"), run.error());
      var failed = r.stages(o.runId()).stream().filter(s -> s.status().equals("failed")).toList();
      assertEquals(4, failed.size());
      assertTrue(failed.get(0).error().contains("IOException"), "the registry keeps the trace");
    }
    assertTrue(Files.readString(o.report().resolveSibling("report.md")).contains("Failed stages"));
  }
}
