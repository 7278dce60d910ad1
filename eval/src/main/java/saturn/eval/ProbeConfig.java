package saturn.eval;

import java.util.List;

/**
 * Configuration of {@code saturn eval probe-head}; written in full into the probe artifact's manifest.
 *
 * @param ranks inner ranks r of the replacement head A·B (B ∈ R^{r×d}, A ∈ R^{V×r})
 * @param trainTokens token budget per rank: training tokens of the train split seen once
 * @param batchTokens tokens per optimiser step (capped so one step's logits stay under maxBatchBytes)
 * @param contextLength window length fed to the frozen backbone
 * @param evalTokens held-out tokens of the validation split the trained heads are scored on
 * @param learningRate AdamW peak learning rate (1% warm-up, cosine decay to 10%)
 * @param weightDecay AdamW decoupled weight decay
 * @param seed seed of window positions and of B's initialisation
 * @param step which checkpoint of the series is the backbone (-1: the last)
 * @param memoryBytes cap on the cached backbone hidden states (train + eval tokens × d × 4 bytes)
 */
public record ProbeConfig(List<Integer> ranks, int trainTokens, int batchTokens, int contextLength, int evalTokens,
    double learningRate, double weightDecay, long seed, long step, int threads, String device, long maxBatchBytes, long memoryBytes) {

  public ProbeConfig {
    ranks = List.copyOf(ranks);
    if (ranks.isEmpty()) throw new IllegalArgumentException("--ranks needs at least one rank");
    for (int r : ranks) if (r < 1) throw new IllegalArgumentException("--ranks: every rank must be >= 1, got " + r);
    if (trainTokens < 1 || batchTokens < 1 || contextLength < 1 || evalTokens < 1) {
      throw new IllegalArgumentException("--train-tokens, --batch-tokens, --context and --eval-tokens must be >= 1");
    }
    if (!(learningRate > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + learningRate);
    if (!device.equals("cpu") && !device.equals("gpu")) throw new IllegalArgumentException("--device must be cpu or gpu, got " + device);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder; every setting optional, defaults written once here. */
  public static final class Builder {
    private List<Integer> ranks = List.of(16, 32, 64, 128, 256, 512);
    private int trainTokens = 131_072;
    private int batchTokens = 1024;
    private int contextLength = 512;
    private int evalTokens = 8192;
    private double learningRate = 3e-3;
    private double weightDecay = 0.0;
    private long seed = 1234;
    private long step = -1;
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private String device = "cpu";
    private long maxBatchBytes = 256L << 20;
    private long memoryBytes = 1L << 30;

    public Builder optRanks(List<Integer> v) { ranks = v; return this; }
    public Builder optTrainTokens(int v) { trainTokens = v; return this; }
    public Builder optBatchTokens(int v) { batchTokens = v; return this; }
    public Builder optContextLength(int v) { contextLength = v; return this; }
    public Builder optEvalTokens(int v) { evalTokens = v; return this; }
    public Builder optLearningRate(double v) { learningRate = v; return this; }
    public Builder optWeightDecay(double v) { weightDecay = v; return this; }
    public Builder optSeed(long v) { seed = v; return this; }
    public Builder optStep(long v) { step = v; return this; }
    public Builder optThreads(int v) { threads = v; return this; }
    public Builder optDevice(String v) { device = v; return this; }
    public Builder optMaxBatchBytes(long v) { maxBatchBytes = v; return this; }
    public Builder optMemoryBytes(long v) { memoryBytes = v; return this; }

    public ProbeConfig build() {
      return new ProbeConfig(ranks, trainTokens, batchTokens, contextLength, evalTokens, learningRate, weightDecay, seed, step,
          threads, device, maxBatchBytes, memoryBytes);
    }
  }
}
