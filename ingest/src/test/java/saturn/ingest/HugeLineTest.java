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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.ingest.read.ReadOptions;

/**
 * A 100 MB file that is one line streams: ingested per line in a child JVM with a 64 MB heap, where holding the line
 * whole (100 MB as a Latin-1 string, 200 MB as UTF-16) would fail with OutOfMemoryError.
 */
class HugeLineTest {
  static final long HEAP_MB = 64;
  @TempDir Path tmp;

  /** Child: ingests args[1] per line into workspace args[0]. */
  public static void main(String[] args) throws Exception {
    Artifact a = new IngestStage().run(IngestSpec.builder().setInputs(args[1])
        .setTokenizer("gpt2").optValFraction(0).optSplitTxt(ReadOptions.SplitTxt.LINE).build(), StageContext.of(Workspace.open(Path.of(args[0]))));
    System.out.println("artifact " + a.id());
  }

  @Test
  @Tag("slow")
  void hundredMegabyteSingleLineStreamsIn64MegabytesOfHeap() throws Exception {
    Path f = tmp.resolve("one-line.txt");
    String words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu ";
    long target = 100L << 20;
    try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
      for (long n = 0; n < target; n += words.length()) w.write(words);
      w.write('\n');
    }
    Path ws = tmp.resolve("ws");
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xmx" + HEAP_MB + "m");
    cmd.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(HugeLineTest.class.getName());
    cmd.add(ws.toString());
    cmd.add(f.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), out);
    Artifact a = Workspace.open(ws).newest(TokenArtifact.STAGE).orElseThrow();
    var s = a.manifest().stats();
    assertEquals(1, s.get("documents").asLong());
    assertEquals(Files.size(f) - 1, s.get("textBytes").asLong());
    assertEquals(0, s.get("unsafeCuts").asLong());
    assertTrue(s.get("tokens").asLong() > 10_000_000, "tokens " + s.get("tokens"));
    assertTrue(a.verify().isEmpty());
  }
}
