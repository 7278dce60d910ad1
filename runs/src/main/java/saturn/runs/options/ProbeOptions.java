package saturn.runs.options;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import saturn.eval.ProbeConfig;

/** The settings of {@code saturn eval probe-head}. */
public final class ProbeOptions {
  @Option(names = "--step", description = "Backbone checkpoint step (default: the last).")
  Long step;

  @Option(names = "--ranks", split = ",", description = "Inner ranks r (default: ${DEFAULT-VALUE}).")
  List<Integer> ranks;

  @Option(names = "--train-tokens", description = "Training-token budget per rank (default: ${DEFAULT-VALUE}).")
  Integer trainTokens;

  @Option(names = "--batch-tokens", description = "Tokens per step (default: ${DEFAULT-VALUE}).")
  Integer batchTokens;

  @Option(names = {"--seq-len", "--context"}, description = "Backbone window length (default: ${DEFAULT-VALUE}).")
  Integer seqLen;

  @Option(names = "--eval-tokens", description = "Held-out tokens scored (default: ${DEFAULT-VALUE}).")
  Integer evalTokens;

  @Option(names = "--lr", description = "AdamW peak learning rate (default: ${DEFAULT-VALUE}).")
  Double lr;

  @Option(names = "--weight-decay", description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
  Double weightDecay;

  @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
  Long seed;

  @Option(names = "--device", description = "cpu or gpu (default: ${DEFAULT-VALUE}).")
  String device;

  /** The probe settings; the cached hidden states must fit {@code memoryBytes}. */
  public ProbeConfig toConfig(int threads, long memoryBytes) {
    ProbeConfig.Builder b = ProbeConfig.builder().optThreads(threads).optMemoryBytes(memoryBytes);
    if (step != null) b.optStep(step);
    if (ranks != null) b.optRanks(ranks);
    if (trainTokens != null) b.optTrainTokens(trainTokens);
    if (batchTokens != null) b.optBatchTokens(batchTokens);
    if (seqLen != null) b.optContextLength(seqLen);
    if (evalTokens != null) b.optEvalTokens(evalTokens);
    if (lr != null) b.optLearningRate(lr);
    if (weightDecay != null) b.optWeightDecay(weightDecay);
    if (seed != null) b.optSeed(seed);
    if (device != null) b.optDevice(device);
    return b.build();
  }

  /** Defaults for --help, from {@link ProbeConfig}'s builder. */
  public static final class Defaults extends SpecDefaults {
    public Defaults() {
      super(ProbeConfig.builder().build(), Map.of("seq-len", "contextLength", "lr", "learningRate"));
    }
  }
}
