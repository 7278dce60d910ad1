package saturn.ngram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.ingest.format.TokenShardFormat;
import saturn.ingest.format.TokenShardReader;
import saturn.ingest.format.TokenShardWriter;
import saturn.ngram.format.NgramStoreReader;
import saturn.ngram.format.NgramStoreWriter;
import saturn.ngram.internal.KeyCodec;
import saturn.ngram.internal.NgramCounter;
import saturn.ngram.internal.SortedCounts;

/** Counter + spill + merge + Lucene store against a HashMap, at the internal level (no artifacts). */
class CounterStoreRoundTripTest {
  @TempDir Path tmp;

  @Test
  void countsMatchBruteForce() throws Exception {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    System.out.println("CounterStoreRoundTripTest seed=" + seed + " (rerun with -Dtests.seed=" + seed + ")");
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int round = 0; round < 6; round++) {
      int order = 2 + rnd.nextInt(7);
      int vocab = switch (rnd.nextInt(3)) { // 1, 2 and 3 bytes per token
        case 0 -> 2 + rnd.nextInt(50);
        case 1 -> 300 + rnd.nextInt(65_536 - 300 + 1);
        default -> 70_000 + rnd.nextInt(1 << 20);
      };
      int eot = vocab - 1;
      Path dir = tmp.resolve("r" + round);
      java.nio.file.Files.createDirectories(dir);
      Map<List<Integer>, Long> expected = new HashMap<>();
      try (TokenShardWriter w = new TokenShardWriter(dir, TokenShardFormat.TRAIN, vocab, 997)) {
        int docs = 1 + rnd.nextInt(60);
        for (int d = 0; d < docs; d++) {
          w.beginDocument();
          w.write(eot);
          int len = rnd.nextInt(order * 20);
          int[] toks = new int[len];
          for (int i = 0; i < len; i++) toks[i] = rnd.nextInt(Math.min(vocab - 1, 1 + rnd.nextInt(30))) * ((vocab - 1) / 30 + 1) % (vocab - 1);
          w.write(toks, 0, len);
          for (int i = 0; i + order <= len; i++) {
            List<Integer> k = new ArrayList<>();
            for (int j = 0; j < order; j++) k.add(toks[i + j]);
            expected.merge(k, 1L, Long::sum);
          }
        }
      }
      KeyCodec codec = new KeyCodec(order, vocab);
      long budget = rnd.nextBoolean() ? 1024 : 64 << 20;
      Map<List<Integer>, Long> actual = new HashMap<>();
      try (TokenShardReader r = TokenShardReader.open(dir, TokenShardFormat.TRAIN);
           NgramCounter counter = new NgramCounter(codec, 2, budget, tmp.resolve("scratch" + round))) {
        SortedCounts merged = counter.count(List.of(new NgramCounter.Input(r, eot)));
        NgramCountStats stats = NgramStoreWriter.write(merged, codec, dir.resolve("index"), 1 + round % 3);
        assertEquals(expected.size(), stats.distinctNgrams(), "seed " + seed);
      }
      try (NgramStoreReader sr = NgramStoreReader.open(dir.resolve("index"), 1 + round % 3, order, KeyCodec.bytesFor(vocab), true)) {
        sr.forEach((t, c) -> {
          List<Integer> k = new ArrayList<>();
          for (int x : t) k.add(x);
          actual.put(k, c);
        });
      }
      assertEquals(expected, actual, "seed " + seed + " round " + round + " order " + order + " vocab " + vocab);
    }
  }
}
