package saturn.runs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.eval.CheckpointSource;
import saturn.eval.ProbeConfig;
import saturn.eval.ProbeHeadStage;
import saturn.ingest.TokenArtifact;

/** {@code saturn eval probe-head}: loss vs inner rank r of a head A·B trained on a frozen backbone. */
@Command(name = "probe-head", mixinStandardHelpOptions = true,
    description = "Freeze a backbone, replace its head by logits = A(Bh) of inner rank r, train A and B on a token budget of the"
        + " train split (AdamW, 1%% warm-up, cosine to 10%%), score on held-out tokens; sweep r. Writes a probe artifact"
        + " (probe_head.arrow/.csv, loss_vs_rank.svg/.png).")
public final class EvalProbeHeadCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Option(names = "--checkpoints", paramLabel = "ID|DIR|HUB_ID", description = "Backbone series (default: the newest checkpoint artifact).")
  String checkpoints;

  @Option(names = "--step", defaultValue = "-1", description = "Backbone checkpoint step (default: the last).")
  long step;

  @Option(names = "--revisions", split = ",", description = "Hub revisions for a hub id.")
  List<String> revisions = new ArrayList<>();

  @Option(names = "--tokens", paramLabel = "ID", description = "Token artifact: train split for training, val split for scoring (default: the newest).")
  String tokensId;

  @Option(names = "--ranks", split = ",", defaultValue = "16,32,64,128,256,512", description = "Inner ranks r (default: ${DEFAULT-VALUE}).")
  List<Integer> ranks;

  @Option(names = "--train-tokens", defaultValue = "131072", description = "Training-token budget per rank (default: ${DEFAULT-VALUE}).")
  int trainTokens;

  @Option(names = "--batch-tokens", defaultValue = "1024", description = "Tokens per step (default: ${DEFAULT-VALUE}).")
  int batchTokens;

  @Option(names = "--context", defaultValue = "512", description = "Backbone window length (default: ${DEFAULT-VALUE}).")
  int context;

  @Option(names = "--eval-tokens", defaultValue = "8192", description = "Held-out tokens scored (default: ${DEFAULT-VALUE}).")
  int evalTokens;

  @Option(names = "--lr", defaultValue = "3e-3", description = "AdamW peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--weight-decay", defaultValue = "0", description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--seed", defaultValue = "1234", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--memory", defaultValue = "1g", description = "Cap on cached hidden states, e.g. 512m, 2g (default: ${DEFAULT-VALUE}).")
  String memory;

  @Option(names = "--threads", defaultValue = "0", description = "Tensor-engine threads (default: all cores).")
  int threads;

  @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu (default: ${DEFAULT-VALUE}).")
  String device;

  @Override
  public Integer call() throws Exception {
    ProbeConfig.Builder b = ProbeConfig.builder().optRanks(ranks).optTrainTokens(trainTokens).optBatchTokens(batchTokens)
        .optContextLength(context).optEvalTokens(evalTokens).optLearningRate(lr).optWeightDecay(weightDecay).optSeed(seed)
        .optStep(step).optDevice(device).optMemoryBytes(bytes(memory));
    if (threads > 0) b.optThreads(threads);
    Workspace w = ws.open();
    CheckpointSource src = CheckpointSource.resolve(w, checkpoints, revisions);
    if (checkpoints == null) System.out.println("using the newest " + src.description());
    Artifact tok;
    if (tokensId == null) {
      tok = w.newest(TokenArtifact.STAGE).orElseThrow(() -> new IllegalArgumentException("no token artifact in " + w.root() + "; pass --tokens ID"));
      System.out.println("using the newest token artifact: " + tok.id());
    } else {
      tok = w.get(tokensId);
    }
    Artifact a = ProbeHeadStage.run(w, b.build(), src, TokenArtifact.of(tok), System.out);
    System.out.println("probe: " + a.id() + " in " + a.dir());
    return ExitCodes.OK;
  }

  static long bytes(String s) {
    String t = s.trim().toLowerCase(java.util.Locale.ROOT);
    long mul = 1;
    if (t.endsWith("g")) mul = 1L << 30;
    else if (t.endsWith("m")) mul = 1L << 20;
    else if (t.endsWith("k")) mul = 1L << 10;
    try {
      return (long) (Double.parseDouble(mul == 1 ? t : t.substring(0, t.length() - 1)) * mul);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--memory " + s + ": expected a size like 512m or 2g");
    }
  }
}
