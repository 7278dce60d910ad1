package saturn.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Workspace;
import saturn.runs.registry.Registry;

/** `saturn run` with the real stages on a small real corpus (a Gutenberg book from shared/, else a built-in text). */
class EndToEndTest {
  static Path corpus(Path dir) throws Exception {
    String shared = System.getProperty("saturn.shared");
    if (shared != null) {
      Path blake = Path.of(shared, "corpora", "gutenberg", "blake-poems.txt.gz");
      if (Files.isRegularFile(blake)) return blake;
    }
    Path f = dir.resolve("text.txt");
    StringBuilder b = new StringBuilder();
    // 200 paragraphs: split_txt=paragraph makes each a document, so both splits get some (one document went to val)
    for (int i = 0; i < 200; i++) b.append(TestSpecs.TEXT_A).append(' ').append(TestSpecs.TEXT_B).append(" Line ").append(i).append(".\n\n");
    Files.writeString(f, b);
    return f;
  }

  @Test
  void realStagesRunThenAreFound(@TempDir Path tmp) throws Exception {
    Path text = corpus(tmp);
    Path spec = tmp.resolve("e2e.yaml");
    Files.writeString(spec, """
        name: e2e
        execution: {jobs: 2, memory: 2g}
        corpora:
          - name: book
            path: "%s"
            ingest: {val_fraction: 0.1, split_txt: paragraph}
        tokenizers: [gpt2]
        ngram: {order: 3, min_count: 1, memory: 256m}
        """.formatted(text.toString().replace("\\", "/")));
    String ws = "--workspace=" + tmp.resolve("ws");
    saturn.runs.cli.CliRun first = RunsCliTest.saturn("run", spec.toString(), ws);
    assertEquals(0, first.code(), first.out() + first.err());
    assertTrue(first.out().contains("ingest/book/gpt2"), first.out());
    assertTrue(first.out().contains("w/book/gpt2"), first.out());

    saturn.runs.cli.CliRun dry = RunsCliTest.saturn("run", spec.toString(), ws, "--dry-run");
    assertEquals(0, dry.code(), dry.err());
    assertTrue(dry.out().contains("0 to run"), dry.out());

    saturn.runs.cli.CliRun again = RunsCliTest.saturn("run", spec.toString(), ws);
    assertEquals(0, again.code(), again.err());
    try (Registry r = Registry.open(Workspace.open(tmp.resolve("ws")))) {
      var runs = r.runs(5);
      assertEquals(2, runs.size());
      assertTrue(r.stages(runs.get(0).id()).stream().allMatch(s -> s.status().equals("cached")), again.out());
      assertEquals(r.stages(runs.get(1).id()).get(0).artifactId(), r.stages(runs.get(0).id()).get(0).artifactId());
      assertTrue(r.metrics(runs.get(0).id()).stream().anyMatch(m -> m.metric().name().equals("tokens") && m.metric().last() > 1000));
    }
  }

  @Test
  void watchMergesNewCorporaWithTheRealNgramStage(@TempDir Path tmp) throws Exception {
    Path inbox = Files.createDirectories(tmp.resolve("inbox"));
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      a.append(TestSpecs.TEXT_A).append("\n\n");
      b.append(TestSpecs.TEXT_B).append(" Part ").append(i).append(".\n\n");
    }
    Files.writeString(inbox.resolve("a.txt"), a);
    Path spec = tmp.resolve("watch.yaml");
    Files.writeString(spec, """
        name: e2e-watch
        corpora:
          - name: template
            path: unused
            ingest: {val_fraction: 0.1, split_txt: paragraph}
        tokenizers: [gpt2]
        ngram: {order: 3, min_count: 1, memory: 128m}
        """);
    String ws = "--workspace=" + tmp.resolve("ws");
    saturn.runs.cli.CliRun p1 = RunsCliTest.saturn("watch", inbox.toString(), "--spec", spec.toString(), "--once", ws);
    assertEquals(0, p1.code(), p1.out() + p1.err());
    Files.writeString(inbox.resolve("b.txt"), b);
    saturn.runs.cli.CliRun p2 = RunsCliTest.saturn("watch", inbox.toString(), "--spec", spec.toString(), "--once", ws);
    assertEquals(0, p2.code(), p2.out() + p2.err());
    assertTrue(p2.out().contains("new b"), p2.out());
    try (Registry r = Registry.open(Workspace.open(tmp.resolve("ws")))) {
      var run = r.runs(1).get(0);
      var stages = r.stages(run.id());
      var ngram = stages.stream().filter(s -> s.label().equals("ngram/all/gpt2")).findFirst().orElseThrow();
      assertEquals("done", ngram.status());
      assertTrue(ngram.config().contains("\"merge\":true"), ngram.config());
      var ingestA = stages.stream().filter(s -> s.label().equals("ingest/a/gpt2")).findFirst().orElseThrow();
      assertEquals("cached", ingestA.status(), "the unchanged corpus is not ingested again");
      var merged = Workspace.open(tmp.resolve("ws")).get(ngram.artifactId());
      assertEquals(2, merged.manifest().stats().path("tokenArtifacts").size(), "merged counts cover both corpora");
    }
  }

  @Test
  void grokkingRunsRecordAccuracyCurves(@TempDir Path tmp) throws Exception {
    Path spec = tmp.resolve("grok.yaml");
    Files.writeString(spec, """
        name: e2e-grok
        grokking:
          ops: [add]
          losses: [softmax, stablemax]
          epochs: 40
          options: {modulus: 11, train_fraction: 0.5, hidden: [32, 32], lr: 0.01}
        """);
    String ws = "--workspace=" + tmp.resolve("ws");
    saturn.runs.cli.CliRun o = RunsCliTest.saturn("run", spec.toString(), ws);
    assertEquals(0, o.code(), o.out() + o.err());
    try (Registry r = Registry.open(Workspace.open(tmp.resolve("ws")))) {
      var run = r.runs(1).get(0);
      var acc = r.metrics(run.id()).stream().filter(m -> m.metric().name().equals("grok_val_acc")).toList();
      assertEquals(2, acc.size());
      assertEquals(40, acc.get(0).metric().x().length);
      assertTrue(Files.readString(tmp.resolve("ws/reports/run-" + run.id() + "/report.md")).contains("Grokking"));
    }
  }
}
