package saturn.ngram.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The radix sort and collapse of {@link SortBuffer} against a TreeMap, on buffers large enough for every pass width. */
class SortBufferTest {
  @Test
  void sortsAndCountsLikeATreeMap() {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    System.out.println("SortBufferTest seed=" + seed + " (reproduce with -Dtests.seed=" + seed + ")");
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int round = 0; round < 5; round++) {
      int order = 2 + rnd.nextInt(7);
      long vocab = rnd.nextBoolean() ? 50_257 : 1L << 32;
      KeyCodec codec = new KeyCodec(order, vocab);
      int n = round == 0 ? 70_000 + rnd.nextInt(50_000) : 1 + rnd.nextInt(120_000); // >= 65,536 takes the 16-bit pass
      int distinctTokens = 1 + rnd.nextInt(200);
      SortBuffer buf = new SortBuffer(codec, n);
      TreeMap<String, Long> expected = new TreeMap<>();
      int[] t = new int[order];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < order; j++) {
          long x = (long) (rnd.nextInt(distinctTokens)) * (vocab / distinctTokens);
          t[j] = (int) Math.min(vocab - 1, x);
        }
        codec.pack(t, 0, buf.keys(), buf.nextOffset());
        buf.commit();
        expected.merge(hex(t), 1L, Long::sum);
      }
      buf.sortAndCount();
      assertEquals(expected.size(), buf.distinct(), "seed " + seed);
      int i = 0;
      int[] back = new int[order];
      for (Map.Entry<String, Long> e : expected.entrySet()) {
        codec.unpack(buf.sortedKeys(), i * codec.words(), back);
        assertEquals(e.getKey(), hex(back), "entry " + i + " seed " + seed + " " + Arrays.toString(back));
        assertEquals(e.getValue().longValue(), buf.countAt(i), "seed " + seed);
        i++;
      }
    }
  }

  /** Fixed-width hex of the tokens: string order = unsigned token order. */
  private static String hex(int[] t) {
    char[] c = new char[t.length * 8];
    for (int j = 0; j < t.length; j++) {
      for (int k = 0; k < 8; k++) c[j * 8 + k] = Character.forDigit((t[j] >>> (28 - 4 * k)) & 0xF, 16);
    }
    return new String(c);
  }
}
