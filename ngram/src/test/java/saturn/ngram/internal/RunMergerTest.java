package saturn.ngram.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The k-way merge against a TreeMap, for codecs on both paths (keys of ≤ 2 words with a spare bit, and full words). */
class RunMergerTest {

  @Test
  void mergeSumsEqualKeysAcrossSourcesInOrder() throws Exception {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    System.out.println("RunMergerTest seed=" + seed + " (reproduce with -Dtests.seed=" + seed + ")");
    SplittableRandom rnd = new SplittableRandom(seed);
    long[][] codecs = { // {order, vocab}: 80 bits, 64 bits (no spare bit), 128 bits (none), 8 bits, 96 bits, 3 words
        {5, 50_257}, {4, 65_536}, {8, 65_536}, {1, 200}, {4, 1 << 24}, {7, 1 << 24}};
    for (long[] oc : codecs) {
      KeyCodec codec = new KeyCodec((int) oc[0], oc[1]);
      for (int trial = 0; trial < 20; trial++) {
        int k = 1 + rnd.nextInt(9);
        TreeMap<String, Long> expected = new TreeMap<>();
        List<SortedCounts> sources = new ArrayList<>();
        for (int s = 0; s < k; s++) {
          int n = rnd.nextInt(300);
          CountTable b = new CountTable(codec, 64, Integer.MAX_VALUE);
          int[] t = new int[codec.order()];
          long[] packed = new long[codec.words()];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < t.length; j++) {
              // few distinct values, including the largest id (every bit of its slot set)
              t[j] = rnd.nextInt(4) == 0 ? (int) (oc[1] - 1) : rnd.nextInt((int) Math.min(oc[1], 3));
            }
            codec.pack(t, 0, packed, 0);
            b.add(packed, 0, 1);
            expected.merge(key(t), 1L, Long::sum);
          }
          b.sort();
          sources.add(b.sortedCounts());
        }
        RunMerger m = new RunMerger(codec, sources);
        TreeMap<String, Long> actual = new TreeMap<>();
        long[] prev = null;
        int[] t = new int[codec.order()];
        while (m.next()) {
          if (prev != null) {
            assertEquals(-1, Integer.signum(codec.compare(prev, 0, m.key(), m.keyOffset())), "strictly increasing, seed " + seed);
          }
          prev = Arrays.copyOfRange(m.key(), m.keyOffset(), m.keyOffset() + codec.words());
          codec.unpack(m.key(), m.keyOffset(), t);
          actual.put(key(t), m.count());
        }
        assertEquals(expected, actual, "order " + oc[0] + " vocab " + oc[1] + " sources " + k + " seed " + seed);
        long total = 0;
        for (Map.Entry<String, Long> e : actual.entrySet()) total += e.getValue();
        assertEquals(expected.values().stream().mapToLong(Long::longValue).sum(), total);
      }
    }
  }

  private static String key(int[] t) {
    return Arrays.toString(t);
  }
}
