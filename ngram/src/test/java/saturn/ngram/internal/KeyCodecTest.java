package saturn.ngram.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyCodecTest {
  private static final long[] VOCABS = {2, 255, 256, 257, 32_000, 50_257, 65_536, 65_537, 1 << 24, (1 << 24) + 1, 1L << 32};

  @Test
  void termBytesAreTheTokensBigEndianAndKeyOrderIsTokenOrder() {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    System.out.println("KeyCodecTest seed=" + seed + " (reproduce with -Dtests.seed=" + seed + ")");
    SplittableRandom rnd = new SplittableRandom(seed);
    for (long vocab : VOCABS) {
      for (int order = 1; order <= 8; order++) {
        KeyCodec codec = new KeyCodec(order, vocab);
        assertEquals(KeyCodec.bytesFor(vocab), codec.bytesPerToken());
        assertEquals(order * codec.bytesPerToken(), codec.termBytes());
        for (int trial = 0; trial < 200; trial++) {
          int[] a = randomTokens(rnd, order, vocab);
          int[] b = trial % 3 == 0 ? a.clone() : randomTokens(rnd, order, vocab);
          if (trial % 5 == 0 && order > 1) System.arraycopy(a, 0, b, 0, order - 1); // same context
          long[] ka = new long[codec.words()];
          long[] kb = new long[codec.words()];
          codec.pack(a, 0, ka, 0);
          codec.pack(b, 0, kb, 0);
          byte[] term = new byte[codec.termBytes() + 3];
          codec.toTerm(ka, 0, term, 3);
          int[] back = new int[order];
          KeyCodec.termTokens(term, 3, order, codec.bytesPerToken(), back);
          assertArrayEquals(a, back, "vocab " + vocab + " order " + order + " seed " + seed);
          for (int i = 0; i < order; i++) assertEquals(a[i], codec.token(ka, 0, i));
          assertEquals(Integer.signum(Arrays.compareUnsigned(a, b)), Integer.signum(codec.compare(ka, 0, kb, 0)),
              "vocab " + vocab + " order " + order + " seed " + seed);
        }
      }
    }
  }

  @Test
  void rollingAKeyEqualsPackingTheNextWindow() {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    System.out.println("KeyCodecTest.rolling seed=" + seed + " (reproduce with -Dtests.seed=" + seed + ")");
    SplittableRandom rnd = new SplittableRandom(seed);
    for (long vocab : VOCABS) {
      for (int order = 1; order <= 8; order++) {
        KeyCodec codec = new KeyCodec(order, vocab);
        int[] stream = randomTokens(rnd, 60, vocab);
        stream[7] = (int) (vocab - 1); // the largest id sets every bit of its slot
        long[] rolled = new long[codec.words() + 1];
        long[] packed = new long[codec.words()];
        codec.pack(stream, 0, rolled, 1);
        for (int i = 1; i + order <= stream.length; i++) {
          codec.roll(rolled, 1, stream[i + order - 1]);
          codec.pack(stream, i, packed, 0);
          assertArrayEquals(packed, Arrays.copyOfRange(rolled, 1, rolled.length),
              "vocab " + vocab + " order " + order + " window " + i + " seed " + seed);
        }
      }
    }
  }

  private static int[] randomTokens(SplittableRandom rnd, int order, long vocab) {
    int[] t = new int[order];
    for (int i = 0; i < order; i++) t[i] = (int) rnd.nextLong(vocab);
    return t;
  }
}
