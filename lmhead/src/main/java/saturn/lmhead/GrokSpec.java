package saturn.lmhead;

import java.util.List;
import java.util.Locale;
import saturn.lmhead.optim.OptimizerConfig;

/**
 * A grokking experiment in the setup of Prieto et al. 2025 (methods.md §2): modular arithmetic (a ∘ b) mod p over all
 * p² pairs, or sparse parity; full-batch training of an MLP (or a 1-layer transformer) with softmax or StableMax
 * cross-entropy. Build with {@link #builder()}.
 *
 * @param task add, mul, sub (mod p) or parity
 * @param modulus p (113 in the paper)
 * @param trainFraction share of the dataset used for training (0.4 → 5,107 of 12,769 pairs)
 * @param model mlp or transformer
 * @param hidden MLP hidden widths ([200, 200])
 * @param loss softmax or stablemax
 * @param optimizer optimizer; weight decay 0 unless stated
 * @param lr learning rate (constant)
 * @param precision fp16, fp32 or fp64: the dtype of parameters, activations and loss
 * @param epochs full-batch steps
 * @param seed data split and initialisation
 * @param inputScale multiplies the one-hot inputs (1 = none); larger values reach Softmax Collapse sooner
 * @param parityBits relevant bits of sparse parity (3)
 * @param parityNoiseBits irrelevant bits (40)
 * @param paritySamples dataset size (2,000)
 * @param logEvery metrics (test set, SC fraction, norms) on epoch 1, every this many epochs and on the last; the grok
 *     step is then known to this resolution (the reference logs every 5,000 epochs of its 80,000-epoch runs)
 */
public record GrokSpec(String task, int modulus, double trainFraction, String model, List<Integer> hidden,
    String loss, OptimizerConfig optimizer, double lr, String precision, int epochs, long seed, double inputScale,
    int parityBits, int parityNoiseBits, int paritySamples, int logEvery) implements saturn.stage.StageSpec {

  public static final List<String> TASKS = List.of("add", "mul", "sub", "parity");
  public static final List<String> MODELS = List.of("mlp", "transformer");
  public static final List<String> LOSSES = List.of("softmax", "stablemax");
  public static final List<String> PRECISIONS = List.of("fp16", "fp32", "fp64");

  /** The reference code's Adam epsilon: tiny, so updates keep their size as gradients shrink. */
  public static final double REFERENCE_ADAM_EPSILON = 1e-25;

  public GrokSpec {
    task = task.toLowerCase(Locale.ROOT);
    if (!TASKS.contains(task)) {
      throw new IllegalArgumentException("--op " + task + ": expected add, mul, sub or parity");
    }
    model = model.toLowerCase(Locale.ROOT);
    if (!MODELS.contains(model)) throw new IllegalArgumentException("--model " + model + ": expected mlp or transformer");
    loss = loss.toLowerCase(Locale.ROOT);
    if (!LOSSES.contains(loss)) throw new IllegalArgumentException("--loss " + loss + ": expected softmax or stablemax");
    precision = precision.toLowerCase(Locale.ROOT);
    if (!PRECISIONS.contains(precision)) throw new IllegalArgumentException("--precision " + precision + ": expected fp16, fp32 or fp64");
    if (trainFraction <= 0 || trainFraction >= 1) throw new IllegalArgumentException("--train-fraction must be in (0, 1): " + trainFraction);
    if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1");
    if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("--lr must be a finite number > 0: " + lr);
    if (hidden.isEmpty() || hidden.stream().anyMatch(h -> h == null || h < 1)) {
      throw new IllegalArgumentException("--hidden widths must be positive, got " + hidden);
    }
    if (modulus < 2) throw new IllegalArgumentException("--modulus must be >= 2");
    if (logEvery < 1) throw new IllegalArgumentException("--log-every must be >= 1: " + logEvery);
    if (!(inputScale > 0) || Double.isInfinite(inputScale)) {
      throw new IllegalArgumentException("--input-scale must be a positive number: " + inputScale);
    }
    if (model.equals("transformer") && !precision.equals("fp32")) {
      throw new IllegalArgumentException("--model transformer runs in fp32 only; drop --precision " + precision);
    }
    if (model.equals("transformer") && task.equals("parity")) {
      throw new IllegalArgumentException("--model transformer is for modular arithmetic; use --model mlp for parity");
    }
    hidden = List.copyOf(hidden);
  }

  /** Grokking generates its data; it reads no artifact. */
  @Override
  public List<String> inputIds() {
    return List.of();
  }

  public HeadSpec.Loss lossKind() {
    return loss.equals("stablemax") ? HeadSpec.Loss.STABLEMAX : HeadSpec.Loss.SOFTMAX;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults are the paper's MLP setup on modular addition. */
  public static final class Builder {
    private String task = "add";
    private int modulus = 113;
    private double trainFraction = 0.4;
    private String model = "mlp";
    private List<Integer> hidden = List.of(200, 200);
    private String loss = "softmax";
    private OptimizerConfig optimizer = OptimizerConfig.parse("adamw", 0.0, 0.9, 0.99, 0.0).withDecayAllTensors(true)
        .withEpsilon(REFERENCE_ADAM_EPSILON);
    private double lr = 0.01;
    private String precision = "fp32";
    private int epochs = 300;
    private long seed = 42;
    private double inputScale = 1.0;
    private int parityBits = 3;
    private int parityNoiseBits = 40;
    private int paritySamples = 2000;
    private int logEvery = 1;

    public Builder optTask(String v) { task = v; return this; }
    public Builder optModulus(int v) { modulus = v; return this; }
    public Builder optTrainFraction(double v) { trainFraction = v; return this; }
    public Builder optModel(String v) { model = v; return this; }
    public Builder optHidden(List<Integer> v) { hidden = v; return this; }
    public Builder optLoss(String v) { loss = v; return this; }
    public Builder optOptimizer(OptimizerConfig v) { optimizer = v; return this; }
    public Builder optLr(double v) { lr = v; return this; }
    public Builder optPrecision(String v) { precision = v; return this; }
    public Builder optEpochs(int v) { epochs = v; return this; }
    public Builder optSeed(long v) { seed = v; return this; }
    public Builder optInputScale(double v) { inputScale = v; return this; }
    public Builder optParityBits(int v) { parityBits = v; return this; }
    public Builder optParityNoiseBits(int v) { parityNoiseBits = v; return this; }
    public Builder optParitySamples(int v) { paritySamples = v; return this; }
    public Builder optLogEvery(int v) { logEvery = v; return this; }

    public GrokSpec build() {
      return new GrokSpec(task, modulus, trainFraction, model, hidden, loss, optimizer, lr, precision, epochs, seed,
          inputScale, parityBits, parityNoiseBits, paritySamples, logEvery);
    }
  }
}
