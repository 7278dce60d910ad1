package saturn.ngram.format;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import saturn.ngram.internal.KeyCodec;
import saturn.ngram.internal.SortedCounts;

/**
 * Issue 17, case 6: one partition writer failing (here: its index directory cannot be created, as on a full or
 * read-only disk) must stop every writer and surface the error; before, the other writers waited forever for an end
 * marker that a cancelled dealer never sent.
 */
class NgramStoreWriterFailureTest {
  @TempDir Path tmp;

  /** {@code n} sorted distinct random 5-grams (vocabulary 50,257) with count 1. */
  static SortedCounts sortedSample(KeyCodec codec, int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long[][] keys = new long[n][];
    int[] t = new int[codec.order()];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < t.length; j++) t[j] = rnd.nextInt(50_257);
      keys[i] = new long[codec.words()];
      codec.pack(t, 0, keys[i], 0);
    }
    Arrays.sort(keys, (a, b) -> codec.compare(a, 0, b, 0));
    return new SortedCounts() {
      int i = -1;

      @Override
      public boolean next() {
        while (++i < n && i > 0 && codec.compare(keys[i], 0, keys[i - 1], 0) == 0) {
          // skip a duplicate draw
        }
        return i < n;
      }

      @Override
      public long[] key() {
        return keys[i];
      }

      @Override
      public int keyOffset() {
        return 0;
      }

      @Override
      public long count() {
        return 1;
      }
    };
  }

  @Test
  void aFailingPartitionStopsTheOtherWritersAndItsErrorSurfaces() throws Exception {
    KeyCodec codec = new KeyCodec(5, 50_257);
    Path store = tmp.resolve("index");
    Files.createDirectories(store);
    Files.writeString(store.resolve(NgramStoreFormat.partitionDir(1)), "not a directory"); // partition 1 cannot be written
    SortedCounts source = sortedSample(codec, 200_000, 17);
    IOException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> assertThrows(IOException.class, () -> NgramStoreWriter.write(source, codec, store, 2)),
        "a failed partition writer must not leave the others waiting");
    assertTrue(String.valueOf(e.getMessage()).contains("p1"), "the first error names the partition's path: " + e);
    assertNoStoreThreadLeft();
  }

  static void assertNoStoreThreadLeft() throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      if (Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.isAlive() && t.getName().startsWith("ngram-store"))) return;
      Thread.sleep(50);
    }
    throw new AssertionError("a store writer thread is still running: " + Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("ngram-store")).map(Thread::getName).toList());
  }
}
