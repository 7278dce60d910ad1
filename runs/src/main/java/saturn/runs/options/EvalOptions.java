package saturn.runs.options;

import java.util.Map;
import picocli.CommandLine.Option;
import saturn.eval.EvalConfig;

/** The settings of {@code saturn eval} (the {@code eval:} section of a run spec). */
public final class EvalOptions {
  @Option(names = "--eval-tokens", description = "Held-out tokens scored per checkpoint (default: ${DEFAULT-VALUE}).")
  Integer evalTokens;

  @Option(names = {"--seq-len", "--context"}, paramLabel = "T",
      description = "Window length in tokens (default: the training --seq-len of saturn checkpoints, else " + EvalConfig.DEFAULT_SEQ_LEN
          + "; a window scores T tokens, so it should not exceed the context the model was trained with).")
  Integer seqLen;

  @Option(names = "--anisotropy-tokens", description = "Hidden states per layer for anisotropy, 0 for none (default: ${DEFAULT-VALUE}).")
  Integer anisotropyTokens;

  @Option(names = "--seed", description = "Seed of the sample's window positions (default: ${DEFAULT-VALUE}).")
  Long seed;

  @Option(names = "--per-position", arity = "0..1", description = "Also write the mean loss at every window position (per_position.arrow).")
  Boolean perPosition;

  @Option(names = "--include-padded-rows", arity = "0..1", description = "Keep padded vocabulary rows (e.g. Pythia's 27) in the head spectrum.")
  Boolean includePaddedRows;

  @Option(names = "--real-vocab", description = "The tokenizer's vocabulary when config.json does not state it (default: the token artifact's).")
  Integer realVocab;

  @Option(names = "--tokens-per-step", description = "Training tokens per step, for D when a checkpoint does not record it (Pythia: ${DEFAULT-VALUE}).")
  Long tokensPerStep;

  @Option(names = "--strict", arity = "0..1", description = "Refuse the run when any checkpoint is missing, partial, damaged or mismatched (default: skip it and say so).")
  Boolean strict;

  @Option(names = "--model", description = "Model name in tables and charts (one series only; default: the directory or artifact name).")
  String model;

  @Option(names = "--device", description = "cpu or gpu (default: ${DEFAULT-VALUE}).")
  String device;

  /** The metric settings; {@code trainedSeqLen} (0: unknown) is the window length when --seq-len is not given. */
  public EvalConfig toConfig(int trainedSeqLen, int threads) {
    EvalConfig.Builder b = EvalConfig.builder().optThreads(threads);
    if (evalTokens != null) b.optEvalTokens(evalTokens);
    if (seqLen != null) b.optContextLength(seqLen);
    else if (trainedSeqLen > 0) b.optContextLength(trainedSeqLen);
    if (anisotropyTokens != null) b.optAnisotropyTokens(anisotropyTokens);
    if (seed != null) b.optSeed(seed);
    if (perPosition != null) b.optPerPosition(perPosition);
    if (includePaddedRows != null) b.optIncludePaddedRows(includePaddedRows);
    if (realVocab != null) b.optRealVocab(realVocab);
    if (tokensPerStep != null) b.optTokensPerStep(tokensPerStep);
    if (strict != null) b.optStrict(strict);
    if (model != null) b.optModel(model);
    if (device != null) b.optDevice(device);
    return b.build();
  }

  /** Uses {@code n} held-out tokens unless --eval-tokens was given. */
  public EvalOptions evalTokensUnlessGiven(int n) {
    if (evalTokens == null) evalTokens = n;
    return this;
  }

  public String model() {
    return model;
  }

  public EvalOptions withModel(String name) {
    model = name;
    return this;
  }

  /** Defaults for --help, from {@link EvalConfig}'s builder. */
  public static final class Defaults extends SpecDefaults {
    public Defaults() {
      super(EvalConfig.builder().build(), Map.of("seq-len", "(resolved per checkpoint)"));
    }
  }
}
