package saturn.ngram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.ingest.format.TokenShardFormat;
import saturn.ingest.format.TokenShardReader;
import saturn.ngram.internal.KeyCodec;
import saturn.ngram.internal.NgramCounter;
import saturn.ngram.internal.SortedCounts;

/**
 * Issue 17: case 7 (spill files live in the stage's temporary directory and are removed on failure and at the next
 * start after a kill; the merge's fan-in is bounded; a budget below the working minimum is refused with the minimum
 * named) and case 6 at the stage (a failing partition writer: error surfaces, nothing published, nothing left).
 */
class MemoryAndSpillTest {
  @TempDir Path tmp;

  /** Many documents of random text over a small alphabet: hundreds of thousands of distinct 5-grams. */
  static Artifact corpus(Workspace ws, String name, int docs) throws IOException {
    SplittableRandom rnd = new SplittableRandom(7);
    List<int[]> d = new ArrayList<>();
    for (int i = 0; i < docs; i++) {
      int[] t = new int[50 + rnd.nextInt(400)];
      for (int j = 0; j < t.length; j++) t[j] = rnd.nextInt(3000);
      d.add(t);
    }
    return TestTokens.write(ws, name, d, 50_257, 50_256, "t", null);
  }

  static List<Path> files(Path dir, String suffix) throws IOException {
    if (!Files.exists(dir)) return List.of();
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(suffix)).toList();
    }
  }

  @Test
  void aBudgetBelowTheWorkingMinimumIsRefusedNamingTheMinimum() throws Exception {
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    Artifact tokens = corpus(ws, "small", 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TestStages.count(ws, 5, 1024, 2, List.of(tokens)));
    assertTrue(e.getMessage().contains("--memory 1k") && e.getMessage().contains("at least 48m"), e.getMessage());
    assertTrue(ws.list(NgramStage.COUNTS_STAGE).isEmpty());
    try (Stream<Path> s = Files.list(ws.root().resolve("tmp"))) {
      assertEquals(List.of(), s.filter(p -> !p.getFileName().toString().equals("scratch")).toList(), "nothing written");
    }
  }

  @Test
  void theMergeHoldsNoMoreRunsOpenThanTheFanInAllows() throws Exception {
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    Artifact tokens = corpus(ws, "many-runs", 400); // ~100,000 n-grams: thousands of runs with 1 KiB of tables
    KeyCodec codec = new KeyCodec(5, 50_257);
    var os = (com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (TokenShardReader r = saturn.ingest.TokenArtifact.of(tokens).open(TokenShardFormat.TRAIN);
         NgramCounter counter = new NgramCounter(codec, 2, 1024, tmp.resolve("spill"))) {
      long before = os.getOpenFileDescriptorCount();
      SortedCounts merged = counter.count(List.of(new NgramCounter.Input(r, 50_256)));
      long open = os.getOpenFileDescriptorCount() - before; // the final merge's runs are open now
      long n = 0;
      while (merged.next()) n++;
      merged.close();
      assertTrue(n > 50_000, "distinct n-grams: " + n);
      assertTrue(counter.runsSpilled() > 1000, "runs spilled: " + counter.runsSpilled());
      assertTrue(open <= 2 * 128 + 16, open + " files open at once for " + counter.runsSpilled() + " runs");
    }
  }

  @Test
  void aFailingPartitionWriterPublishesNothingAndLeavesNothingBehind() throws Exception {
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    Artifact tokens = corpus(ws, "fail", 300);
    System.setProperty("saturn.ngram.failPartition", "1:5000");
    System.setProperty("saturn.ngram.tableBytes", "65536"); // spills, so there are run files to clean up
    try {
      IOException e = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> assertThrows(IOException.class,
          () -> TestStages.count(ws, 5, 64L << 20, 2, List.of(tokens))));
      assertTrue(e.getMessage().contains("injected failure in partition 1"), "the first error surfaces: " + e);
    } finally {
      System.clearProperty("saturn.ngram.failPartition");
      System.clearProperty("saturn.ngram.tableBytes");
    }
    saturn.ngram.format.NgramStoreWriterFailureTestAccess.assertNoStoreThreadLeft();
    assertTrue(ws.list(NgramStage.COUNTS_STAGE).isEmpty(), "nothing published");
    assertEquals(List.of(), files(ws.root().resolve("tmp"), ".bin"), "no spill file left");
    assertEquals(List.of(), files(ws.root().resolve("tmp"), ".tim"), "no partial store left");
  }

  /**
   * A count killed while spilling (kill -9: a child JVM halts itself once a spill file exists) leaves its spill files
   * in the stage's temporary directory, and the next count removes them.
   */
  @Test
  void spillsOfAKilledCountAreInTheStageTmpDirAndTheNextStartRemovesThem() throws Exception {
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    Artifact tokens = corpus(ws, "killed", 1500);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Dsaturn.ngram.tableBytes=65536",
        MemoryAndSpillTest.class.getName(), ws.root().toString(), tokens.id()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
    assertTrue(out.contains("SPILL "), "the child saw a spill file before it was killed: " + out);
    Path spill = Path.of(out.substring(out.indexOf("SPILL ") + 6).trim().split("\\s")[0]);
    Path stageTmp = ws.root().resolve("tmp").relativize(spill);
    assertTrue(stageTmp.getNameCount() >= 2 && stageTmp.getName(0).toString().startsWith("ngram-counts-"),
        "the spill file is inside the stage's temporary directory tmp/<id>.<nonce>/: " + spill);
    assertTrue(Files.exists(spill), "the killed count left it: " + spill);

    TestStages.count(ws, 5, 256L << 20, 2, List.of(tokens)); // the next start
    assertEquals(List.of(), files(ws.root().resolve("tmp"), ".bin"), "the next start removed the killed count's spills");
  }

  /** The child of {@link #spillsOfAKilledCountAreInTheStageTmpDirAndTheNextStartRemovesThem}: counts, and halts at the first spill. */
  public static void main(String[] args) throws Exception {
    Workspace ws = Workspace.open(Path.of(args[0]));
    Artifact tokens = ws.get(args[1]);
    Thread killer = new Thread(() -> {
      while (true) {
        try {
          List<Path> spills = files(ws.root().resolve("tmp"), ".bin");
          if (!spills.isEmpty()) {
            System.out.println("SPILL " + spills.get(0));
            System.out.flush();
            Runtime.getRuntime().halt(9);
          }
          Thread.sleep(1);
        } catch (Exception ignored) {
          // the directory changes under the walk; look again
        }
      }
    });
    killer.setDaemon(true);
    killer.start();
    long memory = 1024; // forces spills where the budget has no minimum
    try {
      TestStages.count(ws, 5, memory, 2, List.of(tokens));
    } catch (IllegalArgumentException refused) {
      // a budget this small is refused: the test hook gives small tables instead
      TestStages.count(ws, 5, 256L << 20, 2, List.of(tokens));
    }
    System.out.println("FINISHED without spilling");
  }
}
