package saturn.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.ingest.read.ReadOptions;

/** A 100 MB file that is one line streams: the heap in use stays far below the line's size. */
class HugeLineTest {
  @TempDir Path tmp;

  @Test
  @Tag("slow")
  void hundredMegabyteSingleLineStreams() throws Exception {
    Path f = tmp.resolve("one-line.txt");
    String words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu ";
    long target = 100L << 20;
    try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
      for (long n = 0; n < target; n += words.length()) w.write(words);
      w.write('\n');
    }
    AtomicLong peakUsed = new AtomicLong();
    IngestListener watch = new IngestListener() {
      @Override
      public void progress(Progress p) {
        Runtime rt = Runtime.getRuntime();
        peakUsed.accumulateAndGet(rt.totalMemory() - rt.freeMemory(), Math::max);
      }
    };
    for (ReadOptions.SplitTxt split : new ReadOptions.SplitTxt[] {ReadOptions.SplitTxt.LINE}) {
      System.gc();
      Artifact a = IngestStage.run(Workspace.open(tmp.resolve("ws-" + split)), IngestConfig.builder()
          .setInputs(f.toString()).setTokenizer("gpt2").optValFraction(0).optSplitTxt(split).build(), watch);
      var s = a.manifest().stats();
      assertEquals(1, s.get("documents").asLong());
      assertEquals(Files.size(f) - 1, s.get("textBytes").asLong());
      assertEquals(0, s.get("unsafeCuts").asLong());
      assertTrue(s.get("tokens").asLong() > 20_000_000, "tokens " + s.get("tokens"));
    }
    // the 100 MB line would need >= 100 MB (Latin-1 string) to 200 MB (UTF-16) on the heap if held whole
    assertTrue(peakUsed.get() < 100L << 20, "heap in use peaked at " + (peakUsed.get() >> 20) + " MB");
  }
}
