package saturn.lmhead;

import saturn.lmhead.optim.LrSchedule;
import saturn.lmhead.optim.OptimizerConfig;

/**
 * Everything that determines a training run (and so its artifact id). Build with {@link #builder()}: {@code set*}
 * are required, {@code opt*} optional with the defaults shown. Intra-op threads come from the stage's
 * {@link saturn.stage.Resources}; a run resumes only with the thread count it started with (libtorch's reductions
 * depend on it, and resuming is bit-exact).
 *
 * @param tokens the token artifact to train on, by full id
 * @param preset model shape (tiny, pythia-14m, ...)
 * @param head {@code --head} form (softmax, stablemax, lowrank:R, lowrank:R+stablemax)
 * @param stableMaxFloat64 StableMax in float64 (reference) or float32
 * @param optimizer optimizer and its hyper-parameters
 * @param steps optimizer steps
 * @param batchSize sequences per step
 * @param seqLen tokens per sequence
 * @param lr peak learning rate
 * @param warmupSteps linear warm-up steps (-1: 1% of steps, as Pythia)
 * @param minLrRatio cosine decay floor as a fraction of lr (Pythia: 0.1)
 * @param seed seeds model init and the data order
 * @param device cpu or gpu
 * @param evalInterval validate every this many steps (0: only at the end)
 * @param evalBatches validation batches (fixed windows drawn once from the val split)
 * @param checkpointEvery checkpoint every this many steps after the log-spaced ones
 * @param checkpointLogUntil log-spaced checkpoints 1, 2, 4, … up to this step (Pythia: 512)
 */
public record TrainSpec(String tokens, String preset, String head, boolean stableMaxFloat64, OptimizerConfig optimizer,
    int steps, int batchSize, int seqLen, double lr, int warmupSteps, double minLrRatio, long seed, String device,
    int evalInterval, int evalBatches, int checkpointEvery, int checkpointLogUntil) implements saturn.stage.StageSpec {

  public TrainSpec {
    saturn.stage.Inputs.checkId(tokens, "--tokens");
    if (steps < 1) throw new IllegalArgumentException("--steps must be >= 1: " + steps);
    if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be >= 1: " + batchSize);
    if (seqLen < 2) throw new IllegalArgumentException("--seq-len must be >= 2: " + seqLen);
    if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("--lr must be a finite number > 0: " + lr);
    if (!(minLrRatio >= 0 && minLrRatio <= 1)) throw new IllegalArgumentException("--min-lr-ratio must be in [0, 1]: " + minLrRatio);
    if (warmupSteps < -1) throw new IllegalArgumentException("--warmup-steps must be >= 0, or -1 for 1% of --steps: " + warmupSteps);
    if (evalInterval < 0 || evalBatches < 0) throw new IllegalArgumentException("--eval-interval and --eval-batches must be >= 0");
    if (checkpointEvery < 1) throw new IllegalArgumentException("--checkpoint-every must be >= 1: " + checkpointEvery);
    if (checkpointLogUntil < 0) throw new IllegalArgumentException("--checkpoint-log-until must be >= 0: " + checkpointLogUntil);
    if (!device.equals("cpu") && !device.equals("gpu")) throw new IllegalArgumentException("--device must be cpu or gpu: " + device);
    HeadSpec.parse(head, stableMaxFloat64); // validates
  }

  @Override
  public java.util.List<String> inputIds() {
    return java.util.List.of(tokens);
  }

  public HeadSpec headSpec() {
    return HeadSpec.parse(head, stableMaxFloat64);
  }

  public int resolvedWarmupSteps() {
    return warmupSteps >= 0 ? warmupSteps : Math.max(1, steps / 100);
  }

  public LrSchedule schedule() {
    return new LrSchedule(lr, resolvedWarmupSteps(), steps, minLrRatio);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.tokens = tokens;
    b.preset = preset; b.head = head; b.stableMaxFloat64 = stableMaxFloat64; b.optimizer = optimizer; b.steps = steps;
    b.batchSize = batchSize; b.seqLen = seqLen; b.lr = lr; b.warmupSteps = warmupSteps; b.minLrRatio = minLrRatio;
    b.seed = seed; b.device = device; b.evalInterval = evalInterval; b.evalBatches = evalBatches;
    b.checkpointEvery = checkpointEvery; b.checkpointLogUntil = checkpointLogUntil;
    return b;
  }

  /** Builder; defaults are Pythia-like where that makes sense on a CPU. */
  public static final class Builder {
    private String tokens;
    private String preset = "tiny";
    private String head = "softmax";
    private boolean stableMaxFloat64 = true;
    private OptimizerConfig optimizer = OptimizerConfig.defaults("adamw");
    private int steps = 1000;
    private int batchSize = 8;
    private int seqLen = 128;
    private double lr = 1e-3;
    private int warmupSteps = -1;
    private double minLrRatio = 0.1;
    private long seed = 1234;
    private String device = "cpu";
    private int evalInterval = 100;
    private int evalBatches = 4;
    private int checkpointEvery = 1000;
    private int checkpointLogUntil = 512;

    public Builder setTokens(String v) { tokens = v; return this; }
    public Builder setPreset(String v) { preset = v; return this; }
    public Builder setSteps(int v) { steps = v; return this; }
    public Builder optHead(String v) { head = v; return this; }
    public Builder optStableMaxFloat64(boolean v) { stableMaxFloat64 = v; return this; }
    public Builder optOptimizer(OptimizerConfig v) { optimizer = v; return this; }
    public Builder optBatchSize(int v) { batchSize = v; return this; }
    public Builder optSeqLen(int v) { seqLen = v; return this; }
    public Builder optLr(double v) { lr = v; return this; }
    public Builder optWarmupSteps(int v) { warmupSteps = v; return this; }
    public Builder optMinLrRatio(double v) { minLrRatio = v; return this; }
    public Builder optSeed(long v) { seed = v; return this; }
    public Builder optDevice(String v) { device = v; return this; }
    public Builder optEvalInterval(int v) { evalInterval = v; return this; }
    public Builder optEvalBatches(int v) { evalBatches = v; return this; }
    public Builder optCheckpointEvery(int v) { checkpointEvery = v; return this; }
    public Builder optCheckpointLogUntil(int v) { checkpointLogUntil = v; return this; }

    public TrainSpec build() {
      return new TrainSpec(tokens, preset, head, stableMaxFloat64, optimizer, steps, batchSize, seqLen, lr, warmupSteps,
          minLrRatio, seed, device, evalInterval, evalBatches, checkpointEvery, checkpointLogUntil);
    }
  }
}
