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
import saturn.eval.EvalConfig;
import saturn.eval.EvalStage;
import saturn.ingest.TokenArtifact;

/** {@code saturn eval}: per-checkpoint metrics of one or more checkpoint series; {@code fit} and {@code probe-head} below it. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    subcommands = {EvalFitCommand.class, EvalProbeHeadCommand.class},
    description = {"Score every checkpoint of one or more series on the same seeded held-out sample: cross-entropy, softmax"
        + " collapse and zero-loss fractions (fp16/fp32/fp64), anisotropy per layer, LM-head singular values, singular entropy"
        + " and effective rank. Writes an eval artifact (Arrow + CSV tables, SVG + PNG charts).",
        "Checkpoints: a checkpoint artifact id, a directory of Hugging Face GPT-NeoX checkpoints (sub-directories with"
            + " config.json + model.safetensors, e.g. step1000/), or a hub id owner/name (needs network)."})
public final class EvalCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Option(names = "--checkpoints", paramLabel = "ID|DIR|HUB_ID",
      description = "A checkpoint series; repeat for several models (one line per model in the charts). Default: the newest checkpoint artifact.")
  List<String> checkpoints = new ArrayList<>();

  @Option(names = "--revisions", split = ",", paramLabel = "REV", description = "Hub revisions to fetch for a hub id (e.g. step1000,step143000; default main).")
  List<String> revisions = new ArrayList<>();

  @Option(names = "--model", description = "Model name in tables and charts (one series only; default: the directory or artifact name).")
  String model;

  @Option(names = "--tokens", paramLabel = "ID", description = "Token artifact whose validation split is scored (default: the newest).")
  String tokensId;

  @Option(names = "--eval-tokens", defaultValue = "8192", description = "Held-out tokens scored per checkpoint (default: ${DEFAULT-VALUE}).")
  int evalTokens;

  @Option(names = "--context", defaultValue = "512", description = "Window length in tokens (default: ${DEFAULT-VALUE}).")
  int context;

  @Option(names = "--anisotropy-tokens", defaultValue = "1024", description = "Hidden states per layer for anisotropy, 0 for none (default: ${DEFAULT-VALUE}).")
  int anisotropyTokens;

  @Option(names = "--seed", defaultValue = "1234", description = "Seed of the sample's window positions (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--per-position", description = "Also write the mean loss at every window position (per_position.arrow).")
  boolean perPosition;

  @Option(names = "--include-padded-rows", description = "Keep padded vocabulary rows (e.g. Pythia's 27) in the head spectrum.")
  boolean includePadded;

  @Option(names = "--real-vocab", defaultValue = "0",
      description = "The tokenizer's vocabulary when config.json does not state it (default: the token artifact's).")
  int realVocab;

  @Option(names = "--tokens-per-step", defaultValue = "2097152",
      description = "Training tokens per step, for D when a checkpoint does not record it (Pythia: ${DEFAULT-VALUE}).")
  long tokensPerStep;

  @Option(names = "--strict", description = "Refuse the run when any checkpoint is missing, partial, damaged or mismatched (default: skip it and say so).")
  boolean strict;

  @Option(names = "--threads", defaultValue = "0", description = "Tensor-engine threads (default: all cores).")
  int threads;

  @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu (default: ${DEFAULT-VALUE}).")
  String device;

  @Override
  public Integer call() throws Exception {
    EvalConfig.Builder b = EvalConfig.builder().optEvalTokens(evalTokens).optContextLength(context).optAnisotropyTokens(anisotropyTokens)
        .optSeed(seed).optPerPosition(perPosition).optIncludePaddedRows(includePadded).optRealVocab(realVocab)
        .optTokensPerStep(tokensPerStep).optStrict(strict).optModel(model).optDevice(device);
    if (threads > 0) b.optThreads(threads);
    EvalConfig cfg = b.build();
    if (model != null && checkpoints.size() > 1) throw new IllegalArgumentException("--model names one series; with several --checkpoints the names come from the sources");
    Workspace w = ws.open();
    List<CheckpointSource> sources = new ArrayList<>();
    if (checkpoints.isEmpty()) {
      CheckpointSource s = CheckpointSource.resolve(w, null, revisions);
      System.out.println("using the newest " + s.description());
      sources.add(s);
    } else {
      for (String c : checkpoints) sources.add(CheckpointSource.resolve(w, c, revisions));
    }
    Artifact tok;
    if (tokensId == null) {
      tok = w.newest(TokenArtifact.STAGE).orElseThrow(() -> new IllegalArgumentException("no token artifact in " + w.root()
          + "; run `saturn ingest` on validation text made with the model's tokenizer, or pass --tokens ID"));
      System.out.println("using the newest token artifact: " + tok.id());
    } else {
      tok = w.get(tokensId);
    }
    for (CheckpointSource s : sources) System.out.println(s.description() + ": " + s.checkpoints().size() + " checkpoint(s)");
    Artifact a = EvalStage.run(w, cfg, sources, TokenArtifact.of(tok), System.out);
    System.out.println("eval: " + a.id() + " in " + a.dir());
    return ExitCodes.OK;
  }
}
