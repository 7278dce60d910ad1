package saturn.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Hashing;
import saturn.artifact.Workspace;
import saturn.artifact.WorkspaceLock;
import saturn.runs.registry.Registry;
import saturn.runs.spec.RunSpec;
import saturn.runs.spec.SpecParser;
import saturn.runs.watch.Schedule;
import saturn.runs.watch.Watcher;

class WatchTest {
  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  private static Path spec(Path dir) throws Exception {
    Path s = dir.resolve("watch.yaml");
    Files.writeString(s, """
        name: watch-test
        tokenizers: [gpt2]
        corpora:
          - name: template
            path: unused.txt
            ingest: {val_fraction: 0.1}
        ngram: {order: 2}
        spectra: {rank: 8}
        """);
    return s;
  }

  @Test
  void passesRunOnlyWhatNewOrChangedCorporaAffect(@TempDir Path tmp) throws Exception {
    Path inbox = Files.createDirectories(tmp.resolve("inbox"));
    Files.writeString(inbox.resolve("a.txt"), TestSpecs.TEXT_A);
    Files.createDirectories(inbox.resolve("b"));
    Files.writeString(inbox.resolve("b/part1.txt"), TestSpecs.TEXT_B);
    Files.writeString(inbox.resolve(".hidden.txt"), "ignored");
    RunSpec spec = SpecParser.parse(spec(tmp));
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    TestCatalog cat = new TestCatalog();
    Watcher w = new Watcher(ws, cat, QUIET);
    Pipeline.Settings s = new Pipeline.Settings(2, null, false, "watch");

    Watcher.PassResult p1 = w.pass(inbox, spec, s);
    assertEquals(List.of("new a", "new b"), p1.changes());
    assertEquals("done", p1.status());
    assertEquals(2, cat.executed.get("ingest"));
    assertEquals(1, cat.executed.get("ngram"));

    Watcher.PassResult p2 = w.pass(inbox, spec, s);
    assertEquals(List.of(), p2.changes());
    assertEquals(2, cat.executed.get("ingest"), "nothing new: nothing ingested");
    assertEquals(1, cat.executed.get("ngram"));
    assertEquals(1, cat.executed.get("spectra"));

    // A new corpus: only it is ingested, and its bigrams are merged into the previous counts.
    Files.writeString(inbox.resolve("c.txt.part"), "still uploading");
    Files.writeString(inbox.resolve("c.txt"), "the cat sat on the mat again and again");
    Watcher.PassResult p3 = w.pass(inbox, spec, s);
    assertEquals(List.of("new c"), p3.changes());
    assertEquals(3, cat.executed.get("ingest"));
    assertEquals(2, cat.executed.get("ngram"));
    assertEquals(2, cat.executed.get("spectra"));
    try (Registry r = Registry.open(ws)) {
      Registry.StageRow ngram = r.stages(p3.runId()).stream().filter(x -> x.label().equals("ngram/all/gpt2")).findFirst().orElseThrow();
      assertTrue(ngram.config().contains("\"merge\":true"), ngram.config());
      assertEquals(2, ngram.inputIds().size(), "previous n-grams + the new corpus' tokens");
      String previous = r.stages(p1.runId()).stream().filter(x -> x.label().equals("ngram/all/gpt2")).findFirst().orElseThrow().artifactId();
      assertEquals(previous, ngram.inputIds().get(0));
    }
    // Merged counts equal counting everything from scratch.
    String merged = Files.readString(ws.get(artifactOf(ws, p3.runId(), "ngram/all/gpt2")).verifiedFile("counts.tsv"));

    // A changed corpus: its counts cannot be subtracted, so the n-grams are counted again from all corpora.
    Files.writeString(inbox.resolve("a.txt"), TestSpecs.TEXT_A + " And the rat ran.");
    Watcher.PassResult p4 = w.pass(inbox, spec, s);
    assertEquals(List.of("changed a"), p4.changes());
    assertEquals(4, cat.executed.get("ingest"));
    assertEquals(3, cat.executed.get("ngram"));
    try (Registry r = Registry.open(ws)) {
      Registry.StageRow ngram = r.stages(p4.runId()).stream().filter(x -> x.label().equals("ngram/all/gpt2")).findFirst().orElseThrow();
      assertTrue(ngram.config().contains("\"merge\":false"), ngram.config());
      assertEquals(3, ngram.inputIds().size());
      assertEquals(4, r.passes(inbox.toAbsolutePath().normalize().toString()).size());
    }
    String recounted = Files.readString(ws.get(artifactOf(ws, p4.runId(), "ngram/all/gpt2")).verifiedFile("counts.tsv"));
    assertNotEquals(merged, recounted);

    // Restoring a.txt brings back the merged state's content, counted from scratch: same counts as the merge.
    Files.writeString(inbox.resolve("a.txt"), TestSpecs.TEXT_A);
    Watcher.PassResult p5 = w.pass(inbox, spec, s);
    String fresh = Files.readString(ws.get(artifactOf(ws, p5.runId(), "ngram/all/gpt2")).verifiedFile("counts.tsv"));
    assertEquals(merged, fresh, "incremental merge must equal a full count");
  }

  private static String artifactOf(Workspace ws, long runId, String label) throws Exception {
    try (Registry r = Registry.open(ws)) {
      return r.stages(runId).stream().filter(x -> x.label().equals(label)).findFirst().orElseThrow().artifactId();
    }
  }

  @Test
  void neverTwoPassesAtOnce(@TempDir Path tmp) throws Exception {
    Path inbox = Files.createDirectories(tmp.resolve("inbox"));
    Files.writeString(inbox.resolve("a.txt"), TestSpecs.TEXT_A);
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    Path lock = ws.root().resolve("watch-" + Hashing.sha256(inbox.toAbsolutePath().normalize().toString()).substring(0, 12) + ".lock");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TestCatalog cat = new TestCatalog();
    Watcher w = new Watcher(ws, cat, new PrintStream(out, true, StandardCharsets.UTF_8));
    Thread holder = new Thread(() -> {
      try (WorkspaceLock l = WorkspaceLock.acquire(lock, 1000)) {
        Thread.sleep(1500);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    holder.start();
    Thread.sleep(300);
    assertNull(w.pass(inbox, SpecParser.parse(spec(tmp)), new Pipeline.Settings(1, null, false, "watch")));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("another pass"), out.toString(StandardCharsets.UTF_8));
    assertTrue(cat.executed.isEmpty());
    holder.join();
  }

  @Test
  void schedules() {
    ZonedDateTime t = ZonedDateTime.of(2026, 11, 23, 10, 15, 0, 0, ZoneOffset.UTC);
    assertEquals(t.plusHours(6), Schedule.every("6h").next(t));
    assertEquals(ZonedDateTime.of(2026, 11, 24, 3, 0, 0, 0, ZoneOffset.UTC), Schedule.cron("0 3 * * *").next(t));
    assertEquals(ZonedDateTime.of(2026, 11, 23, 10, 30, 0, 0, ZoneOffset.UTC), Schedule.cron("*/15 * * * *").next(t));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedule.cron("0 3 * *"));
    assertTrue(e.getMessage().contains("five fields"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Schedule.every("6 hours"));
  }
}
