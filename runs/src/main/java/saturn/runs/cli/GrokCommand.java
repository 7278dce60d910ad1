package saturn.runs.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import saturn.artifact.Artifact;
import saturn.lmhead.GrokSpec;
import saturn.lmhead.GrokStage;
import saturn.lmhead.optim.OptimizerConfig;

/** {@code saturn grok}: the StableMax / ⊥Grad paper's grokking experiments, full batch, on CPU. */
@Command(name = "grok", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Grokking experiments (Prieto et al. 2025): modular arithmetic mod p or sparse parity, full batch,",
        "MLP (200, 200, ReLU) or a 1-layer transformer. Prints per-epoch progress, writes a 'grok' artifact with",
        "metrics.csv/.arrow (train/test loss and accuracy, SC fraction, zero-loss fraction, weight norm) and the grok step."})
public final class GrokCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Option(names = "--op", defaultValue = "add", description = "add | mul | sub | parity (default: ${DEFAULT-VALUE}).")
  String op;

  @Option(names = "--modulus", defaultValue = "113", description = "p (default: ${DEFAULT-VALUE}).")
  int modulus;

  @Option(names = "--train-fraction", defaultValue = "0.4", description = "Share of the data used for training (default: ${DEFAULT-VALUE}).")
  double trainFraction;

  @Option(names = "--model", defaultValue = "mlp", description = "mlp | transformer (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--hidden", defaultValue = "200,200", split = ",", description = "MLP hidden widths (default: ${DEFAULT-VALUE}).")
  List<Integer> hidden;

  @Option(names = "--loss", defaultValue = "softmax", description = "softmax | stablemax (default: ${DEFAULT-VALUE}).")
  String loss;

  @Option(names = "--optimizer", defaultValue = "adamw", description = "adamw | ortho-adamw | sgd | ortho-sgd (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--lr", defaultValue = "0.01", description = "Learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--weight-decay", defaultValue = "0", description = "Decoupled weight decay on all tensors (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--beta2", defaultValue = "0.99", description = "Adam beta2 (default: ${DEFAULT-VALUE}; beta1 0.9).")
  double beta2;

  @Option(names = "--adam-epsilon", defaultValue = "1e-25", description = "Adam epsilon; tiny as in the reference code (default: ${DEFAULT-VALUE}).")
  double adamEpsilon;

  @Option(names = "--precision", defaultValue = "fp32", description = "fp16 | fp32 | fp64 (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--epochs", defaultValue = "300", description = "Full-batch steps (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--input-scale", defaultValue = "1", description = "Multiplies the inputs (default: ${DEFAULT-VALUE}).")
  double inputScale;

  @Option(names = "--seed", defaultValue = "42", description = "Data split and initialisation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--log-every", defaultValue = "1", description = "Metrics (test set, SC, norms) every N epochs, plus the first and last; "
      + "the grok step is known to N epochs (default: ${DEFAULT-VALUE}).")
  int logEvery;

  @Option(names = "--threads", defaultValue = "2", description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    OptimizerConfig opt = OptimizerConfig.parse(optimizer, weightDecay, 0.9, beta2, 0.0).withDecayAllTensors(true)
        .withEpsilon(adamEpsilon);
    GrokSpec c = GrokSpec.builder().optTask(op).optModulus(modulus).optTrainFraction(trainFraction).optModel(model)
        .optHidden(hidden).optLoss(loss).optOptimizer(opt).optLr(lr).optPrecision(precision).optEpochs(epochs)
        .optInputScale(inputScale).optSeed(seed).optLogEvery(logEvery).optThreads(threads).build();
    ProgressBar bar = new ProgressBar(System.err, "grok");
    Artifact a = GrokStage.runAndPublish(ws.open(), c, (done, total, tr, te, l) -> {
      if (!quiet) bar.update(done, total, String.format("train acc %.3f test acc %.3f loss %.3g", tr, te, l));
    });
    bar.done();
    System.out.println(a.id() + "  " + a.dir());
    System.out.println(saturn.artifact.Json.canonical(a.manifest().stats()));
    return ExitCodes.OK;
  }
}
