package saturn.lmhead.internal;

import java.util.SplittableRandom;
import saturn.ingest.format.TokenShardReader;

/**
 * Draws training windows of seqLen + 1 tokens from a memory-mapped split. The windows of step s depend only on
 * (seed, s), so a resumed run sees exactly the batches the uninterrupted run would have seen.
 */
public final class WindowSampler {
  private final TokenShardReader reader;
  private final int batch;
  private final int window;
  private final long seed;

  public WindowSampler(TokenShardReader reader, int batch, int seqLen, long seed, String split) {
    if (reader.size() < seqLen + 1L) {
      throw new IllegalArgumentException("the " + split + " split has " + reader.size() + " tokens, fewer than --seq-len + 1 = "
          + (seqLen + 1) + "; use a smaller --seq-len or a larger corpus");
    }
    this.reader = reader;
    this.batch = batch;
    this.window = seqLen + 1;
    this.seed = seed;
  }

  /** Row-major [batch, seqLen + 1] token ids for step {@code step}. */
  public int[] batch(long step) {
    SplittableRandom rnd = new SplittableRandom(mix(seed, step));
    int[] out = new int[batch * window];
    long range = reader.size() - window + 1;
    for (int b = 0; b < batch; b++) reader.read(rnd.nextLong(range), out, b * window, window);
    return out;
  }

  /** A stafford-mix of (seed, step): distinct streams per step without sequential state. */
  static long mix(long seed, long step) {
    long z = seed * 0x9E3779B97F4A7C15L + step;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
