package saturn.runs.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.ingest.TokenArtifact;
import saturn.lmhead.TrainSpec;
import saturn.lmhead.TrainListener;
import saturn.lmhead.TrainStage;
import saturn.lmhead.TrainingDivergedException;
import saturn.lmhead.optim.OptimizerConfig;

/** {@code saturn train}: trains a GPT-NeoX-style model on a token artifact; writes a checkpoints artifact. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Train a GPT-NeoX-style model (Pythia shapes) with a softmax, StableMax or low-rank head.",
        "Checkpoints on Pythia's schedule (0, 1, 2, 4, ..., 512, then every N) as step_<n>/model.safetensors +",
        "config.json (HF GPT-NeoX keys) + optimizer/trainer state; metrics per step in metrics.csv and metrics.arrow."})
public final class TrainCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Option(names = "--tokens", paramLabel = "ID", description = "Token artifact id or prefix (default: the newest).")
  String tokens;

  @Option(names = "--preset", defaultValue = "tiny", description = "tiny | pythia-14m | pythia-31m | pythia-70m | pythia-160m (default: ${DEFAULT-VALUE}).")
  String preset;

  @Option(names = "--head", defaultValue = "softmax", description = "softmax | stablemax | lowrank:R | lowrank:R+stablemax (default: ${DEFAULT-VALUE}).")
  String head;

  @Option(names = "--stablemax-fp32", description = "Compute StableMax in float32 instead of float64 (the reference's choice).")
  boolean stableMaxFp32;

  @Option(names = "--optimizer", defaultValue = "adamw", description = "adamw | ortho-adamw | sgd | ortho-sgd (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--steps", defaultValue = "1000", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--batch", defaultValue = "8", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--seq-len", defaultValue = "128", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
  int seqLen;

  @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--warmup", defaultValue = "-1", description = "Warm-up steps; -1 = 1%% of --steps, as Pythia (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--min-lr-ratio", defaultValue = "0.1", description = "Cosine decay floor as a fraction of --lr (default: ${DEFAULT-VALUE}).")
  double minLrRatio;

  @Option(names = "--weight-decay", defaultValue = "0.1", description = "Decoupled weight decay on matrices (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--beta1", defaultValue = "0.9", description = "Adam beta1 (default: ${DEFAULT-VALUE}).")
  double beta1;

  @Option(names = "--beta2", defaultValue = "0.95", description = "Adam beta2 (default: ${DEFAULT-VALUE}).")
  double beta2;

  @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
  double momentum;

  @Option(names = "--grad-clip", defaultValue = "1.0", description = "Global gradient-norm clip, 0 = off (default: ${DEFAULT-VALUE}).")
  double gradClip;

  @Option(names = "--seed", defaultValue = "1234", description = "Seeds initialisation and the data order (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--device", defaultValue = "cpu", description = "cpu | gpu (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--threads", defaultValue = "2", description = "PyTorch intra-op threads, fixed for reproducibility (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--eval-interval", defaultValue = "100", description = "Validate every N steps, 0 = only at the end (default: ${DEFAULT-VALUE}).")
  int evalInterval;

  @Option(names = "--eval-batches", defaultValue = "4", description = "Validation batches, 0 = no validation (default: ${DEFAULT-VALUE}).")
  int evalBatches;

  @Option(names = "--checkpoint-every", defaultValue = "1000", description = "Checkpoint every N steps after the log-spaced ones (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--checkpoint-log-until", defaultValue = "512", description = "Log-spaced checkpoints 1, 2, 4, ... up to this step (default: ${DEFAULT-VALUE}).")
  int checkpointLogUntil;

  @Option(names = "--resume", description = "Continue an unfinished run of the same config from its newest intact checkpoint.")
  boolean resume;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    OptimizerConfig opt = OptimizerConfig.parse(optimizer, weightDecay, beta1, beta2, gradClip);
    if (opt.kind() == OptimizerConfig.Kind.SGD) opt = opt.withMomentum(momentum);
    TrainSpec c = TrainSpec.builder().setPreset(preset).setSteps(steps).optHead(head)
        .optStableMaxFloat64(!stableMaxFp32).optOptimizer(opt).optBatchSize(batch).optSeqLen(seqLen).optLr(lr)
        .optWarmupSteps(warmup).optMinLrRatio(minLrRatio).optSeed(seed).optDevice(device).optThreads(threads)
        .optEvalInterval(evalInterval).optEvalBatches(evalBatches).optCheckpointEvery(checkpointEvery)
        .optCheckpointLogUntil(checkpointLogUntil).build(); // validates options before touching the workspace
    Workspace w = ws.open();
    TokenArtifact t = TokenArtifact.of(resolveTokens(w, tokens));
    ProgressBar bar = new ProgressBar(System.err, "train");
    TrainListener listener = new TrainListener() {
      @Override
      public void info(String message) {
        bar.message("saturn train: " + message);
      }

      @Override
      public void step(long done, long total, double loss, double tps) {
        if (!quiet) bar.update(done, total, String.format("loss %.4f %,.0f tok/s", loss, tps));
      }
    };
    TrainStage.Result r;
    try {
      r = TrainStage.run(w, t, c, resume, listener);
    } catch (TrainingDivergedException e) {
      bar.done();
      System.err.println("saturn: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    bar.done();
    System.out.println(r.artifact().id() + "  " + r.artifact().dir());
    if (!r.cached()) {
      System.out.printf("final loss %.4f, val loss %s%n", r.finalLoss(),
          Double.isNaN(r.finalValLoss()) ? "-" : String.format("%.4f", r.finalValLoss()));
    }
    return ExitCodes.OK;
  }

  static Artifact resolveTokens(Workspace w, String id) throws java.io.IOException {
    if (id != null) return w.get(id);
    Artifact a = w.newest(TokenArtifact.STAGE).orElseThrow(() -> new IllegalArgumentException(
        "no token artifact in " + w.root() + "; run `saturn ingest CORPUS --tokenizer gpt2` first or pass --tokens ID"));
    System.err.println("saturn: using the newest token artifact " + a.id());
    return a;
  }
}
