package saturn.ingest;

import saturn.stage.StageContext;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;

/** A process killed while ingesting leaves no published artifact; the next run cleans up and completes. */
class KillDuringIngestTest {
  @TempDir Path tmp;

  /** Child entry point: ingests args[1..] into workspace args[0] with one thread. */
  public static void main(String[] args) throws Exception {
    new IngestStage().run(config(List.of(args).subList(1, args.length)), StageContext.of(Workspace.open(Path.of(args[0])))
        .withResources(saturn.stage.Resources.defaults().withThreads(1)).withListener(new saturn.stage.StageListener() {
      @Override
      public void progress(saturn.stage.Progress p) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9,]+) tokens,").matcher(p.detail());
        if (m.find()) System.out.println("tokens " + m.group(1).replace(",", ""));
        System.out.flush();
      }
    }));
  }

  static IngestSpec config(List<String> inputs) {
    return IngestSpec.builder().setInputs(inputs).setTokenizer("gpt2").optTokensPerShard(50_000)
        .optSplitTxt(saturn.ingest.read.ReadOptions.SplitTxt.LINE).build();
  }

  @Test
  void killedChildPublishesNothingAndRerunCompletes() throws Exception {
    Path corpus = tmp.resolve("big.txt");
    try (BufferedWriter w = Files.newBufferedWriter(corpus, StandardCharsets.UTF_8)) {
      java.util.Random r = new java.util.Random(11);
      for (int i = 0; i < 20_000; i++) {
        w.write("Line " + i + " of a corpus that is large enough to be killed half way: " + r.nextLong() + " and "
            + r.nextInt(1000) + " more words.\n");
      }
    }
    Path ws = tmp.resolve("ws");
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xmx512m");
    cmd.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(KillDuringIngestTest.class.getName());
    cmd.add(ws.toString());
    cmd.add(corpus.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    // kill once some shards are written: tokens flowing and at least one shard file in the temporary directory
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    boolean killed = false;
    try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
        if (line.startsWith("tokens ") && Long.parseLong(line.substring(7)) > 60_000) {
          p.destroyForcibly();
          killed = true;
          break;
        }
      }
    }
    p.waitFor(30, TimeUnit.SECONDS);
    assertTrue(killed, "the child finished or failed before it could be killed");
    Workspace w = Workspace.open(ws);
    assertTrue(w.list(null).isEmpty(), "a killed ingest must not publish");
    try (Stream<Path> s = Files.walk(ws.resolve("tmp"))) {
      assertTrue(s.anyMatch(f -> f.getFileName().toString().startsWith("train_")), "the child had written shards (debris)");
    }
    Artifact a = new IngestStage().run(config(List.of(corpus.toString())), StageContext.of(w));
    assertTrue(a.verify().isEmpty());
    assertEquals(20_000, a.manifest().stats().get("documents").asLong());
    try (Stream<Path> s = Files.list(ws.resolve("tmp"))) {
      assertEquals(List.of(), s.filter(f -> !f.getFileName().toString().equals("scratch")).toList(), "debris removed");
    }
  }
}
