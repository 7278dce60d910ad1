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
      SortBuffer b = new SortBuffer(codec, 5000);
      SplittableRandom rnd = new SplittableRandom(vocab);
      int[] t = new int[5];
      for (int i = 0; i < 5000; i++) {
        for (int j = 0; j < 5; j++) t[j] = rnd.nextInt(4) == 0 ? (int) (vocab - 1) : (int) rnd.nextLong(Math.min(vocab, 40));
        codec.pack(t, 0, b.keys(), b.nextOffset());
        b.commit();
      }
      b.sortAndCount();
      Path run = dir.resolve("run-" + vocab);
      try (RunWriter w = new RunWriter(codec, run)) {
        for (int i = 0; i < b.distinct(); i++) w.add(b.sortedKeys(), i * codec.words(), b.countAt(i));
      }
      try (RunReader r = new RunReader(codec, run, 1 << 16)) {
        for (int i = 0; i < b.distinct(); i++) {
          assertTrue(r.next());
          int off = i * codec.words();
          assertArrayEquals(Arrays.copyOfRange(b.sortedKeys(), off, off + codec.words()), r.key(), "entry " + i);
          assertEquals(b.countAt(i), r.count());
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
