package saturn.ngram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.ngram.format.ContextMatrixReader;
import saturn.ngram.format.NgramStoreReader;

/** The stage end to end on random token streams, against brute-force HashMap counts. Seed printed. */
class NgramStageTest {
  @TempDir Path tmp;

  static long seed(String test) {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    System.out.println(test + " seed=" + seed + " (reproduce with -Dtests.seed=" + seed + ")");
    return seed;
  }

  /** Random documents: lengths from 0 to well above the order (many shorter than it), Zipf-ish tokens. */
  static List<int[]> randomDocs(SplittableRandom rnd, int vocab, int eot, int order, int maxDocs) {
    List<int[]> docs = new ArrayList<>();
    int n = 1 + rnd.nextInt(maxDocs);
    int alphabet = 1 + rnd.nextInt(Math.min(vocab - 1, 40));
    int[] symbols = new int[alphabet];
    for (int i = 0; i < alphabet; i++) symbols[i] = rnd.nextInt(vocab);
    for (int d = 0; d < n; d++) {
      int len = rnd.nextInt(4) == 0 ? rnd.nextInt(order) : rnd.nextInt(order * 30);
      int[] t = new int[len];
      for (int i = 0; i < len; i++) {
        int s = symbols[(int) Math.min(alphabet - 1, Math.abs(rnd.nextGaussian()) * alphabet / 3)];
        t[i] = s == eot ? (s + 1) % vocab : s; // keep the boundary marker out of the text
      }
      docs.add(t);
    }
    return docs;
  }

  static Map<List<Integer>, Long> bruteForce(List<int[]> docs, int order) {
    Map<List<Integer>, Long> m = new HashMap<>();
    for (int[] d : docs) {
      for (int i = 0; i + order <= d.length; i++) {
        List<Integer> k = new ArrayList<>(order);
        for (int j = 0; j < order; j++) k.add(d[i + j]);
        m.merge(k, 1L, Long::sum);
      }
    }
    return m;
  }

  static Map<List<Integer>, Long> storeContents(Artifact counts) throws Exception {
    Map<List<Integer>, Long> m = new HashMap<>();
    try (NgramStoreReader r = NgramCounts.of(counts).open(true)) {
      r.forEach((t, c) -> {
        List<Integer> k = new ArrayList<>();
        for (int x : t) k.add(x);
        m.put(k, c);
      });
    }
    return m;
  }

  interface IoCall<T> {
    T call() throws Exception;
  }

  /**
   * Runs {@code c} with count tables of {@code bytes} per thread and a merge fan-in of 3, so that a small stream
   * spills many runs and merges them in passes (0: as the budget says).
   */
  static <T> T withTables(long bytes, IoCall<T> c) throws Exception {
    if (bytes > 0) {
      System.setProperty(NgramStage.TABLE_BYTES_PROPERTY, Long.toString(bytes));
      System.setProperty(NgramStage.FAN_IN_PROPERTY, "3");
    }
    try {
      return c.call();
    } finally {
      System.clearProperty(NgramStage.TABLE_BYTES_PROPERTY);
      System.clearProperty(NgramStage.FAN_IN_PROPERTY);
    }
  }

  @Test
  void countsEqualBruteForceOnRandomStreams() throws Exception {
    long seed = seed("countsEqualBruteForceOnRandomStreams");
    SplittableRandom rnd = new SplittableRandom(seed);
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    for (int round = 0; round < 12; round++) {
      int order = 2 + rnd.nextInt(7);
      int vocab = switch (rnd.nextInt(3)) {
        case 0 -> 3 + rnd.nextInt(100);
        case 1 -> 50_257;
        default -> 65_537 + rnd.nextInt(Integer.MAX_VALUE - 65_537); // uint32 tokens
      };
      int eot = rnd.nextBoolean() ? vocab - 1 : -1;
      List<int[]> docs = randomDocs(rnd, vocab, eot, order, 80);
      Map<List<Integer>, Long> expected = bruteForce(docs, order);
      if (expected.isEmpty()) docs.add(new int[order]);
      expected = bruteForce(docs, order);
      Artifact tokens = TestTokens.write(ws, "prop-" + seed + "-" + round, docs, vocab, eot, "sha" + vocab, null);
      // tables of 1 KiB force a spill every few dozen n-grams (and merge passes: fan-in 3)
      long memory = rnd.nextBoolean() ? 1024 : 256L << 20;
      int threads = 1 + rnd.nextInt(2);
      Artifact counts = withTables(memory == 1024 ? 1024 : 0, () -> TestStages.count(ws, order, 256L << 20, threads, List.of(tokens)));
      String where = "seed " + seed + " round " + round + " order " + order + " vocab " + vocab + " memory " + memory;
      assertEquals(expected, storeContents(counts), where);
      var stats = counts.manifest().stats();
      assertEquals(expected.size(), stats.get("distinctNgrams").asLong(), where);
      assertEquals(expected.values().stream().mapToLong(Long::longValue).sum(), stats.get("ngrams").asLong(), where);
      if (memory == 1024 && expected.size() > 200) assertTrue(stats.get("bytesSpilled").asLong() > 0, where);
    }
  }

  @Test
  void mergeEqualsCountOfConcatenation() throws Exception {
    long seed = seed("mergeEqualsCountOfConcatenation");
    SplittableRandom rnd = new SplittableRandom(seed);
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    int order = 3 + rnd.nextInt(4);
    int vocab = 100_000;
    List<int[]> a = randomDocs(rnd, vocab, 0, order, 50);
    List<int[]> b = randomDocs(rnd, vocab, 0, order, 50);
    a.add(new int[] {5, 6, 7, 8, 9, 10, 11});
    Artifact ta = TestTokens.write(ws, "a" + seed, a, vocab, 0, "same", null);
    Artifact tb = TestTokens.write(ws, "b" + seed, b, vocab, 0, "same", null);
    Artifact ca = withTables(2048, () -> TestStages.count(ws, order, 64L << 20, 2, List.of(ta)));
    Artifact merged = withTables(2048, () -> TestStages.merge(ws, order, 64L << 20, 2, ca, List.of(tb)));
    List<int[]> both = new ArrayList<>(a);
    both.addAll(b);
    assertEquals(bruteForce(both, order), storeContents(merged), "seed " + seed);
    assertEquals(List.of(ca.id(), tb.id()), merged.manifest().inputs());
    assertEquals(List.of(ta.id(), tb.id()), NgramCounts.of(merged).tokenArtifacts());
    Artifact direct = TestStages.count(ws, order, 64L << 20, 2, List.of(ta, tb));
    assertEquals(storeContents(direct), storeContents(merged));

    Artifact other = TestTokens.write(ws, "c" + seed, b, vocab, 0, "different", null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestStages.merge(ws, order, 64L << 20, 2, ca, List.of(other)));
    assertTrue(e.getMessage().contains("different tokenizers"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TestStages.count(ws, order, 64L << 20, 2, List.of(ta, other)));
  }

  @Test
  void contextMatrixRowsSumToOneAndFiltersHold() throws Exception {
    long seed = seed("contextMatrixRowsSumToOneAndFiltersHold");
    SplittableRandom rnd = new SplittableRandom(seed);
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    int order = 2 + rnd.nextInt(4);
    int vocab = 1000;
    List<int[]> docs = randomDocs(rnd, vocab, 999, order, 100);
    docs.add(new int[] {1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5});
    Artifact tokens = TestTokens.write(ws, "w" + seed, docs, vocab, 999, "t", null);
    Artifact counts = TestStages.count(ws, order, 64L << 20, 2, List.of(tokens));
    Map<List<Integer>, Long> ngrams = bruteForce(docs, order);
    Map<List<Integer>, Long> ctxTotals = new HashMap<>();
    ngrams.forEach((k, v) -> ctxTotals.merge(k.subList(0, order - 1), v, Long::sum));

    for (long min : new long[] {1, 2, 3}) {
      Artifact wa = TestStages.matrix(ws, min, 0, 0, 0, counts);
      CsrMatrix w = ContextMatrixReader.read(wa);
      ContextMatrixReader.Contexts ctx = ContextMatrixReader.readContexts(wa);
      long expectedRows = ctxTotals.values().stream().filter(c -> c >= min).count();
      assertEquals(expectedRows, w.rows(), "seed " + seed + " min " + min);
      assertEquals(vocab, w.cols());
      for (int r = 0; r < w.rows(); r++) {
        double sum = 0;
        List<Integer> c = new ArrayList<>();
        for (int j = 0; j < order - 1; j++) c.add(ctx.tokens()[r * (order - 1) + j]);
        long total = ctxTotals.get(c);
        assertEquals(total, ctx.counts()[r]);
        assertTrue(total >= min);
        for (long i = w.rowOffsets()[r]; i < w.rowOffsets()[r + 1]; i++) {
          sum += w.values()[(int) i];
          List<Integer> ng = new ArrayList<>(c);
          ng.add(w.colIds()[(int) i]);
          assertEquals((double) ngrams.get(ng) / total, w.values()[(int) i], 1e-6);
          if (i > w.rowOffsets()[r]) assertTrue(w.colIds()[(int) i] > w.colIds()[(int) i - 1]);
        }
        assertEquals(1.0, sum, 1e-5, "row " + r + " seed " + seed);
      }
    }
    // top-M: the M largest context totals
    long all = ctxTotals.values().stream().filter(c -> c >= 1).count();
    int m = (int) Math.max(1, all / 3);
    CsrMatrix top = ContextMatrixReader.read(TestStages.matrix(ws, 1, m, 0, 0, counts));
    assertEquals(m, top.rows());
    long[] keptCounts = ContextMatrixReader.readContexts(TestStages.matrix(ws, 1, m, 0, 0, counts)).counts();
    long[] sorted = ctxTotals.values().stream().mapToLong(Long::longValue).sorted().toArray();
    long[] keptSorted = keptCounts.clone();
    Arrays.sort(keptSorted);
    assertEquals(sorted[sorted.length - m], keptSorted[0], "smallest kept = M-th largest, seed " + seed);
    // sample: M rows, a subset, reproducible with the seed, different with another seed (almost surely)
    ContextMatrixReader.Contexts s1 = ContextMatrixReader.readContexts(TestStages.matrix(ws, 1, 0, m, 7, counts));
    ContextMatrixReader.Contexts s1b = ContextMatrixReader.readContexts(TestStages.matrix(ws, 1, 0, m, 7, counts));
    assertEquals(m, s1.rows());
    assertTrue(Arrays.equals(s1.tokens(), s1b.tokens()));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TestStages.matrix(ws, 1_000_000, 0, 0, 0, counts));
    assertTrue(e.getMessage().contains("lower --min-count"), e.getMessage());
  }

  @Test
  void emptyCorpusIsExplained() throws Exception {
    Workspace ws = Workspace.open(tmp.resolve("ws"));
    Artifact tokens = TestTokens.write(ws, "short", List.of(new int[] {1, 2}, new int[0]), 10, 9, "t", null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TestStages.count(ws, 5, 1L << 30, 2, List.of(tokens)));
    assertTrue(e.getMessage().contains("nothing to count"), e.getMessage());
  }

  /** Issue 17, case 1: the same text is never counted twice without a word. */
  @Test
  void repeatedOrOverlappingInputsAreRefusedByName() throws Exception {
    Workspace ws = Workspace.open(tmp.resolve("dup"));
    List<int[]> docs = List.of(new int[] {1, 2, 3, 4, 5, 6}, new int[] {2, 3, 4, 5, 6, 7});
    Artifact a = TestTokens.write(ws, "a", docs, 50, -1, "same", null, List.of("aaaa"));
    Artifact b = TestTokens.write(ws, "b", docs, 50, -1, "same", null, List.of("bbbb"));
    Artifact aAgain = TestTokens.write(ws, "a-other-split", docs, 50, -1, "same", null, List.of("aaaa", "cccc"));
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> TestStages.count(ws, 3, 64L << 20, 1, List.of(a, a)));
    assertTrue(twice.getMessage().contains(a.id()) && twice.getMessage().contains("twice"), twice.getMessage());
    Artifact counts = TestStages.count(ws, 3, 64L << 20, 1, List.of(a));
    IllegalArgumentException merged = assertThrows(IllegalArgumentException.class,
        () -> TestStages.merge(ws, 3, 64L << 20, 1, counts, List.of(a)));
    assertTrue(merged.getMessage().contains("already counts " + a.id()), merged.getMessage());
    IllegalArgumentException sameFile = assertThrows(IllegalArgumentException.class,
        () -> TestStages.count(ws, 3, 64L << 20, 1, List.of(a, aAgain)));
    assertTrue(sameFile.getMessage().contains("file-aaaa"), sameFile.getMessage());
    IllegalArgumentException sameFileInBase = assertThrows(IllegalArgumentException.class,
        () -> TestStages.merge(ws, 3, 64L << 20, 1, counts, List.of(aAgain)));
    assertTrue(sameFileInBase.getMessage().contains("file-aaaa"), sameFileInBase.getMessage());
    Artifact both = TestStages.merge(ws, 3, 64L << 20, 1, counts, List.of(b));
    assertEquals(List.of("aaaa", "bbbb"), NgramCounts.of(both).corpusFiles());
    assertEquals(List.of(a.id(), b.id()), NgramCounts.of(both).tokenArtifacts());
  }
}
