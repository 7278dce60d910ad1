package saturn.ngram.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The count table (growth, fullness, the one-, two- and any-word paths) and the radix sort of its entries against a
 * TreeMap, on tables large enough for every pass width.
 */
class CountTableTest {
  @Test
  void countsAndSortsLikeATreeMap() throws Exception {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    System.out.println("CountTableTest seed=" + seed + " (reproduce with -Dtests.seed=" + seed + ")");
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int round = 0; round < 6; round++) {
      int order = 1 + rnd.nextInt(8);
      long vocab = switch (round % 3) {
        case 0 -> 50_257;
        case 1 -> 1L << 32;
        default -> 1 << 20; // 3 bytes per token
      };
      KeyCodec codec = new KeyCodec(order, vocab);
      int n = round == 0 ? 150_000 + rnd.nextInt(50_000) : 1 + rnd.nextInt(120_000); // >= 65,536 distinct: 16-bit pass
      int distinctTokens = 1 + rnd.nextInt(round == 0 ? 60_000 : 200);
      CountTable table = new CountTable(codec, 64, Integer.MAX_VALUE);
      TreeMap<String, Long> expected = new TreeMap<>();
      int[] t = new int[order];
      long[] key = new long[codec.words()];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < order; j++) t[j] = (int) Math.min(vocab - 1, (long) rnd.nextInt(distinctTokens) * (vocab / distinctTokens));
        codec.pack(t, 0, key, 0);
        boolean added = switch (codec.words()) {
          case 1 -> rnd.nextBoolean() ? table.add1(key[0]) : table.add(key, 0, 1);
          case 2 -> rnd.nextBoolean() ? table.add2(key[0], key[1]) : table.add(key, 0, 1);
          default -> table.add(key, 0, 1);
        };
        assertTrue(added, "a table without limit is never full");
        expected.merge(hex(t), 1L, Long::sum);
      }
      table.sort();
      assertEquals(expected.size(), table.size(), "seed " + seed);
      SortedCounts s = table.sortedCounts();
      int[] back = new int[order];
      int i = 0;
      for (Map.Entry<String, Long> e : expected.entrySet()) {
        assertTrue(s.next());
        codec.unpack(s.key(), s.keyOffset(), back);
        assertEquals(e.getKey(), hex(back), "entry " + i + " seed " + seed + " " + Arrays.toString(back));
        assertEquals(e.getValue().longValue(), s.count(), "seed " + seed);
        i++;
      }
      assertFalse(s.next());
    }
  }

  @Test
  void aTableAtItsMaximumReportsFullAndCountsAgainAfterClear() throws Exception {
    KeyCodec codec = new KeyCodec(5, 50_257);
    CountTable table = new CountTable(codec, 64, 100);
    long k = 0;
    int added = 0;
    while (table.add2(k++, 7L << 60)) added++; // keys leave their unused low bits zero
    assertEquals((int) (100 * CountTable.MAX_LOAD), added, "full at 70% of the maximum capacity");
    assertTrue(table.add2(0, 7L << 60), "a key already present still counts when the table is full");
    table.sort();
    SortedCounts s = table.sortedCounts();
    assertTrue(s.next());
    assertEquals(2, s.count());
    table.clear();
    assertEquals(0, table.size());
    assertTrue(table.add2(123, 7L << 60));
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
