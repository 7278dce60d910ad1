package saturn.eval;

import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import saturn.ingest.TokenArtifact;
import saturn.ingest.format.TokenShardFormat;
import saturn.ingest.format.TokenShardReader;

/**
 * The fixed held-out sample every checkpoint is scored on: {@code windows} windows of contextLength + 1 tokens of the
 * validation split, at positions drawn from a seeded generator (sorted), or all non-overlapping windows when the split
 * is too small for the request. The same seed and split give the same sample, so checkpoints are comparable.
 *
 * @param starts start position of each window in the split
 * @param tokens each window's contextLength + 1 token ids
 */
public record TokenSample(int contextLength, long[] starts, int[][] tokens, long splitTokens) {

  public int windows() {
    return starts.length;
  }

  /** Predicted tokens: windows × contextLength. */
  public long scoredTokens() {
    return (long) starts.length * contextLength;
  }

  public static TokenSample draw(TokenArtifact artifact, int evalTokens, int contextLength, long seed) throws IOException {
    try (TokenShardReader r = artifact.open(TokenShardFormat.VAL)) {
      long n = r.size();
      int w = contextLength + 1;
      if (n < w) {
        throw new IllegalArgumentException(artifact.id() + ": validation split has " + n + " tokens, fewer than one window of "
            + w + "; lower --context or ingest with a larger --val-fraction");
      }
      int want = (evalTokens + contextLength - 1) / contextLength;
      long[] starts;
      if ((long) want * w > n) {
        starts = new long[(int) Math.min(Integer.MAX_VALUE, n / w)];
        for (int i = 0; i < starts.length; i++) starts[i] = (long) i * w;
      } else {
        SplittableRandom rnd = new SplittableRandom(seed);
        starts = new long[want];
        for (int i = 0; i < want; i++) starts[i] = rnd.nextLong(n - w + 1);
        Arrays.sort(starts);
      }
      int[][] toks = new int[starts.length][w];
      for (int i = 0; i < starts.length; i++) r.read(starts[i], toks[i], 0, w);
      return new TokenSample(contextLength, starts, toks, n);
    }
  }
}
