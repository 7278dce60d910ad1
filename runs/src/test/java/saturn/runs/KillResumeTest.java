package saturn.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.runs.registry.Registry;
import saturn.runs.spec.SpecParser;

/** A run killed (SIGKILL, child JVM) at a random point resumes with the same artifact ids as an uninterrupted run. */
class KillResumeTest {
  private static final long STAGE_MILLIS = 120;

  @Test
  void killAtARandomPointThenRerun(@TempDir Path tmp) throws Exception {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    System.out.println("KillResumeTest seed: " + seed + " (reproduce with -Dtests.seed=" + seed + ")");
    Random rnd = new Random(seed);
    Path spec = TestSpecs.pipeline(tmp.resolve("spec"), "");

    // The reference: the same spec, uninterrupted, in its own workspace.
    Workspace reference = Workspace.open(tmp.resolve("reference"));
    Pipeline.Outcome ref = new Pipeline(reference, new TestCatalog(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
        .run(SpecParser.parse(spec), new Pipeline.Settings(2, null, false, "run"));
    assertTrue(ref.result().ok());
    Map<String, String> expected = new TreeMap<>();
    ref.result().stages().forEach((label, r) -> expected.put(label, r.artifact().id()));

    Path ws = tmp.resolve("killed");
    // 15 stages, 2 at a time, ~120 ms each: once the run has started, kill it within ~1.2 s.
    long killAfter = rnd.nextInt(1200);
    Path log1 = tmp.resolve("first.log");
    Process child = child(ws, spec).redirectOutput(log1.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (child.isAlive() && !Files.readString(log1).contains("run 1:") && System.nanoTime() < deadline) Thread.sleep(10);
    boolean finished = child.waitFor(killAfter, TimeUnit.MILLISECONDS);
    if (!finished) {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
    String childOut = Files.readString(log1);
    System.out.println("killed " + killAfter + " ms after the run started (finished on its own: " + finished + ")\n" + childOut);

    try (Registry r = Registry.open(Workspace.open(ws))) {
      List<Registry.RunRow> runs = r.runs(10);
      if (!finished && !runs.isEmpty()) {
        assertEquals("interrupted", runs.get(0).status(), "a killed run must show as interrupted");
        assertTrue(r.stages(runs.get(0).id()).stream().noneMatch(s -> s.status().equals("running") || s.status().equals("pending")));
      }
    }

    Path log2 = tmp.resolve("second.log");
    Process again = child(ws, spec).redirectOutput(log2.toFile()).start();
    assertTrue(again.waitFor(120, TimeUnit.SECONDS), "the rerun must finish");
    String out = Files.readString(log2);
    assertEquals(0, again.exitValue(), out);

    Workspace w = Workspace.open(ws);
    try (Registry r = Registry.open(w)) {
      Registry.RunRow last = r.runs(1).get(0);
      assertEquals("done", last.status(), out);
      Map<String, String> got = new TreeMap<>();
      for (Registry.StageRow s : r.stages(last.id())) got.put(s.label(), s.artifactId());
      assertEquals(expected, got);
      if (!finished && r.runs(10).size() > 1) assertEquals(r.runs(10).get(1).id(), last.resumes(), "the rerun names the run it resumes");
    }
    for (String id : expected.values()) {
      Artifact a = w.get(id);
      assertTrue(a.verify().isEmpty(), id + ": " + a.verify());
    }
    // What the killed writer left in tmp/ is never taken for an artifact. (Its removal is the store's job: a
    // directory whose lock file a concurrent clean-up deleted before the writer locked it stays behind; reported.)
    w.removeStaleTemporaries();
    try (var left = Files.list(w.root().resolve("tmp"))) {
      for (Path p : left.filter(p -> Files.isDirectory(p) && !p.getFileName().toString().equals("scratch")).toList()) {
        System.out.println("left in tmp/: " + p);
        assertTrue(w.list(null).stream().noneMatch(a -> a.dir().startsWith(p)), p + " is listed as an artifact");
      }
    }
    assertEquals(expected.size(), w.list(null).size(), "exactly the artifacts of an uninterrupted run");
  }

  private static ProcessBuilder child(Path ws, Path spec) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), KillableRun.class.getName(),
        ws.toString(), spec.toString(), Long.toString(STAGE_MILLIS)).redirectErrorStream(true);
  }
}
