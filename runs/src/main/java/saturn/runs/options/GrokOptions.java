package saturn.runs.options;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import saturn.lmhead.GrokSpec;
import saturn.lmhead.optim.OptimizerConfig;

/**
 * The settings of {@code saturn grok}. In a run spec, {@code op}, {@code loss}, {@code optimizer}, {@code precision},
 * {@code seed} and {@code epochs} are the sweep's axes ({@code grokking: ops/losses/optimizers/precisions/seeds/epochs});
 * every other key of {@code grokking: options:} is one of these options.
 */
public final class GrokOptions {
  public static final List<String> SWEEP_AXES = List.of("op", "loss", "optimizer", "precision", "seed", "epochs");

  @Option(names = "--op", description = "add | mul | sub | parity (default: ${DEFAULT-VALUE}).")
  String op;

  @Option(names = "--modulus", description = "p (default: ${DEFAULT-VALUE}).")
  Integer modulus;

  @Option(names = "--train-fraction", description = "Share of the data used for training (default: ${DEFAULT-VALUE}).")
  Double trainFraction;

  @Option(names = "--model", description = "mlp | transformer (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--hidden", split = ",", description = "MLP hidden widths (default: ${DEFAULT-VALUE}).")
  List<Integer> hidden;

  @Option(names = "--loss", description = "softmax | stablemax (default: ${DEFAULT-VALUE}).")
  String loss;

  @Option(names = "--optimizer", description = "adamw | ortho-adamw | sgd | ortho-sgd (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--lr", description = "Learning rate (default: ${DEFAULT-VALUE}).")
  Double lr;

  @Option(names = "--weight-decay", description = "Decoupled weight decay on all tensors (default: ${DEFAULT-VALUE}).")
  Double weightDecay;

  @Option(names = "--beta1", description = "Adam beta1 (default: ${DEFAULT-VALUE}).")
  Double beta1;

  @Option(names = "--beta2", description = "Adam beta2 (default: ${DEFAULT-VALUE}).")
  Double beta2;

  @Option(names = "--adam-epsilon", description = "Adam epsilon; tiny as in the reference code (default: ${DEFAULT-VALUE}).")
  Double adamEpsilon;

  @Option(names = "--grad-clip", description = "Global gradient-norm clip, 0 = off (default: ${DEFAULT-VALUE}).")
  Double gradClip;

  @Option(names = "--precision", description = "fp16 | fp32 | fp64 (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--epochs", description = "Full-batch steps (default: ${DEFAULT-VALUE}).")
  Integer epochs;

  @Option(names = "--input-scale", description = "Multiplies the inputs (default: ${DEFAULT-VALUE}).")
  Double inputScale;

  @Option(names = "--seed", description = "Data split and initialisation (default: ${DEFAULT-VALUE}).")
  Long seed;

  @Option(names = "--log-every", description = "Metrics (test set, SC, norms) every N epochs, plus the first and last; the grok"
      + " step is known to N epochs (default: ${DEFAULT-VALUE}).")
  Integer logEvery;

  @Option(names = "--parity-bits", description = "Relevant bits of sparse parity (default: ${DEFAULT-VALUE}).")
  Integer parityBits;

  @Option(names = "--parity-noise-bits", description = "Irrelevant bits of sparse parity (default: ${DEFAULT-VALUE}).")
  Integer parityNoiseBits;

  @Option(names = "--parity-samples", description = "Sparse-parity dataset size (default: ${DEFAULT-VALUE}).")
  Integer paritySamples;

  public GrokSpec toSpec() {
    GrokSpec d = GrokSpec.builder().build();
    OptimizerConfig base = d.optimizer();
    OptimizerConfig opt = OptimizerConfig.parse(optimizer != null ? optimizer : base.label(),
        weightDecay != null ? weightDecay : base.weightDecay(), beta1 != null ? beta1 : base.beta1(),
        beta2 != null ? beta2 : base.beta2(), gradClip != null ? gradClip : base.gradClipNorm())
        .withDecayAllTensors(true).withEpsilon(adamEpsilon != null ? adamEpsilon : base.epsilon());
    GrokSpec.Builder b = GrokSpec.builder().optOptimizer(opt);
    if (op != null) b.optTask(op);
    if (modulus != null) b.optModulus(modulus);
    if (trainFraction != null) b.optTrainFraction(trainFraction);
    if (model != null) b.optModel(model);
    if (hidden != null) b.optHidden(hidden);
    if (loss != null) b.optLoss(loss);
    if (lr != null) b.optLr(lr);
    if (precision != null) b.optPrecision(precision);
    if (epochs != null) b.optEpochs(epochs);
    if (inputScale != null) b.optInputScale(inputScale);
    if (seed != null) b.optSeed(seed);
    if (logEvery != null) b.optLogEvery(logEvery);
    if (parityBits != null) b.optParityBits(parityBits);
    if (parityNoiseBits != null) b.optParityNoiseBits(parityNoiseBits);
    if (paritySamples != null) b.optParitySamples(paritySamples);
    return b.build();
  }

  /** Sets the sweep axes (a run spec's point of the sweep). */
  public GrokOptions axes(String op, String loss, String optimizer, String precision, long seed, int epochs) {
    this.op = op;
    this.loss = loss;
    this.optimizer = optimizer;
    this.precision = precision;
    this.seed = seed;
    this.epochs = epochs;
    return this;
  }

  /** Defaults for --help, from {@link GrokSpec}'s builder (the paper's setup). */
  public static final class Defaults extends SpecDefaults {
    public Defaults() {
      super(GrokSpec.builder().build(), Map.of("op", "task", "adam-epsilon", "epsilon", "grad-clip", "gradClipNorm"),
          Map.of("optimizer", "adamw"));
    }
  }
}
