package saturn.runs.options;

import java.util.Map;
import picocli.CommandLine.Option;
import saturn.lmhead.TrainSpec;
import saturn.lmhead.optim.OptimizerConfig;
import saturn.stage.Inputs;

/**
 * The settings of {@code saturn train}. In a run spec, {@code preset}, {@code head}, {@code optimizer}, {@code seed}
 * and {@code steps} are the sweep's axes ({@code models: presets/heads/optimizers/seeds/steps}); every other key of
 * {@code models: options:} is one of these options.
 */
public final class TrainOptions {
  /** The options a run spec gives as sweep axes of {@code models:} instead. */
  public static final java.util.List<String> SWEEP_AXES = java.util.List.of("preset", "head", "optimizer", "seed", "steps");

  @Option(names = "--preset", description = "tiny | pythia-14m | pythia-31m | pythia-70m | pythia-160m (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(names = "--head", description = "softmax | stablemax | lowrank:R | lowrank:R+stablemax (default: ${DEFAULT-VALUE}).")
  String head;

  @Option(names = "--stablemax-float64", negatable = true, arity = "0..1", fallbackValue = "true",
      description = "StableMax in float64, as the reference code (default: ${DEFAULT-VALUE}); --no-stablemax-float64 computes it in float32.")
  Boolean stableMaxFloat64;

  @Option(names = "--optimizer", description = "adamw | ortho-adamw | sgd | ortho-sgd (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--steps", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
  Integer steps;

  @Option(names = {"--batch-size", "--batch"}, description = "Sequences per step (default: ${DEFAULT-VALUE}).")
  Integer batchSize;

  @Option(names = "--seq-len", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
  Integer seqLen;

  @Option(names = "--lr", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  Double lr;

  @Option(names = {"--warmup-steps", "--warmup"}, description = "Warm-up steps; -1 = 1%% of --steps, as Pythia (default: ${DEFAULT-VALUE}).")
  Integer warmupSteps;

  @Option(names = "--min-lr-ratio", description = "Cosine decay floor as a fraction of --lr (default: ${DEFAULT-VALUE}).")
  Double minLrRatio;

  @Option(names = "--weight-decay", description = "Decoupled weight decay on matrices (default: ${DEFAULT-VALUE}).")
  Double weightDecay;

  @Option(names = "--beta1", description = "Adam beta1 (default: ${DEFAULT-VALUE}).")
  Double beta1;

  @Option(names = "--beta2", description = "Adam beta2 (default: ${DEFAULT-VALUE}).")
  Double beta2;

  @Option(names = "--momentum", description = "SGD momentum (default: " + OptimizerConfig.DEFAULT_MOMENTUM + ").")
  Double momentum;

  @Option(names = "--grad-clip", description = "Global gradient-norm clip, 0 = off (default: ${DEFAULT-VALUE}).")
  Double gradClip;

  @Option(names = "--seed", description = "Seeds initialisation and the data order (default: ${DEFAULT-VALUE}).")
  Long seed;

  @Option(names = "--device", description = "cpu | gpu (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--eval-interval", description = "Validate every N steps, 0 = only at the end (default: ${DEFAULT-VALUE}).")
  Integer evalInterval;

  @Option(names = "--eval-batches", description = "Validation batches, 0 = no validation (default: ${DEFAULT-VALUE}).")
  Integer evalBatches;

  @Option(names = "--checkpoint-every", description = "Checkpoint every N steps after the log-spaced ones (default: ${DEFAULT-VALUE}).")
  Integer checkpointEvery;

  @Option(names = "--checkpoint-log-until", description = "Log-spaced checkpoints 1, 2, 4, ... up to this step (default: ${DEFAULT-VALUE}).")
  Integer checkpointLogUntil;

  /** The spec of a run on {@code tokens} with the options given (the builder's defaults for the rest). */
  public TrainSpec toSpec(String tokens) {
    TrainSpec.Builder b = TrainSpec.builder().setTokens(tokens);
    if (preset != null) b.setPreset(preset);
    if (steps != null) b.setSteps(steps);
    if (head != null) b.optHead(head);
    if (stableMaxFloat64 != null) b.optStableMaxFloat64(stableMaxFloat64);
    b.optOptimizer(optimizer());
    if (batchSize != null) b.optBatchSize(batchSize);
    if (seqLen != null) b.optSeqLen(seqLen);
    if (lr != null) b.optLr(lr);
    if (warmupSteps != null) b.optWarmupSteps(warmupSteps);
    if (minLrRatio != null) b.optMinLrRatio(minLrRatio);
    if (seed != null) b.optSeed(seed);
    if (device != null) b.optDevice(device);
    if (evalInterval != null) b.optEvalInterval(evalInterval);
    if (evalBatches != null) b.optEvalBatches(evalBatches);
    if (checkpointEvery != null) b.optCheckpointEvery(checkpointEvery);
    if (checkpointLogUntil != null) b.optCheckpointLogUntil(checkpointLogUntil);
    return b.build();
  }

  private OptimizerConfig optimizer() {
    OptimizerConfig o = OptimizerConfig.parse(optimizer != null ? optimizer : "adamw",
        weightDecay != null ? weightDecay : OptimizerConfig.DEFAULT_WEIGHT_DECAY, beta1 != null ? beta1 : OptimizerConfig.DEFAULT_BETA1,
        beta2 != null ? beta2 : OptimizerConfig.DEFAULT_BETA2, gradClip != null ? gradClip : OptimizerConfig.DEFAULT_GRAD_CLIP_NORM);
    return momentum != null && o.kind() == OptimizerConfig.Kind.SGD ? o.withMomentum(momentum) : o;
  }

  /** Sets one sweep axis (a run spec's point of the sweep). */
  public TrainOptions axes(String preset, String head, String optimizer, long seed, int steps) {
    this.preset = preset;
    this.head = head;
    this.optimizer = optimizer;
    this.seed = seed;
    this.steps = steps;
    return this;
  }

  public TrainOptions checkpoints(Integer every, Integer logUntil) {
    if (every != null) checkpointEvery = every;
    if (logUntil != null) checkpointLogUntil = logUntil;
    return this;
  }

  public Integer seqLen() {
    return seqLen;
  }

  /** Defaults for --help, from {@link TrainSpec}'s builder and {@link OptimizerConfig}. */
  public static final class Defaults extends SpecDefaults {
    public Defaults() {
      super(TrainSpec.builder().setTokens(Inputs.inMemory("tokens")).build(), Map.of("grad-clip", "gradClipNorm"),
          Map.of("optimizer", "adamw", "momentum", String.valueOf(OptimizerConfig.DEFAULT_MOMENTUM)));
    }
  }
}
