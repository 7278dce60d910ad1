package saturn.lmhead.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** Runs {@code body(0 .. n-1)} on a pool (the hand-written CPU kernels' rows and chunks); inline when n ≤ 1. */
public final class ParallelRange {
  private ParallelRange() {}

  public static void forEach(ForkJoinPool pool, int n, IntConsumer body) {
    if (n <= 1) {
      for (int i = 0; i < n; i++) body.accept(i);
      return;
    }
    pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).join();
  }
}
