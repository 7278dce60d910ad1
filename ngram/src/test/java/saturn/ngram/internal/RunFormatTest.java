package saturn.ngram.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.artifact.CorruptArtifactException;

/** A spilled run reads back exactly; truncation and damage are named as such, never read as data. */
class RunFormatTest {
  @Test
  void runsRoundTripAndDamageIsDetected(@TempDir Path dir) throws Exception {
    for (long vocab : new long[] {200, 50_257, 1 << 24, 1L << 32}) {
      KeyCodec codec = new KeyCodec(5, vocab);
      CountTable b = new CountTable(codec, 64, Integer.MAX_VALUE);
      SplittableRandom rnd = new SplittableRandom(vocab);
      int[] t = new int[5];
      long[] key = new long[codec.words()];
      for (int i = 0; i < 5000; i++) {
        for (int j = 0; j < 5; j++) t[j] = rnd.nextInt(4) == 0 ? (int) (vocab - 1) : (int) rnd.nextLong(Math.min(vocab, 40));
        codec.pack(t, 0, key, 0);
        b.add(key, 0, 1);
      }
      b.sort();
      Path run = dir.resolve("run-" + vocab);
      java.util.List<long[]> keys = new java.util.ArrayList<>();
      java.util.List<Long> counts = new java.util.ArrayList<>();
      try (RunWriter w = new RunWriter(codec, run)) {
        SortedCounts s = b.sortedCounts();
        while (s.next()) {
          w.add(s.key(), s.keyOffset(), s.count());
          keys.add(Arrays.copyOfRange(s.key(), s.keyOffset(), s.keyOffset() + codec.words()));
          counts.add(s.count());
        }
      }
      try (RunReader r = new RunReader(codec, run, 1 << 16)) {
        for (int i = 0; i < keys.size(); i++) {
          assertTrue(r.next());
          assertArrayEquals(keys.get(i), r.key(), "entry " + i);
          assertEquals(counts.get(i).longValue(), r.count());
        }
        assertFalse(r.next());
      }
      byte[] bytes = Files.readAllBytes(run);
      Path cut = dir.resolve("cut-" + vocab);
      Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
      assertThrows(CorruptArtifactException.class, () -> drain(codec, cut));
      byte[] flipped = bytes.clone();
      flipped[bytes.length / 2] ^= 0x10;
      Path bad = dir.resolve("bad-" + vocab);
      Files.write(bad, flipped);
      assertThrows(CorruptArtifactException.class, () -> drain(codec, bad));
    }
  }

  private static void drain(KeyCodec codec, Path run) throws Exception {
    try (RunReader r = new RunReader(codec, run, 1 << 16)) {
      while (r.next()) {
        // read to the end, where the count and checksum are verified
      }
    }
  }
}
