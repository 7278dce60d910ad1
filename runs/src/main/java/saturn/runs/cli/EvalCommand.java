package saturn.runs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import saturn.eval.CheckpointSource;
import saturn.eval.EvalSpec;
import saturn.eval.EvalStage;
import saturn.ingest.TokenArtifact;
import saturn.runs.options.EvalOptions;
import saturn.runs.options.ResourceOptions;
import saturn.stage.Resources;

/** {@code saturn eval}: per-checkpoint metrics of one or more checkpoint series; {@code fit} and {@code probe-head} below it. */
@Command(name = "eval", mixinStandardHelpOptions = true, defaultValueProvider = EvalOptions.Defaults.class,
    subcommands = {EvalFitCommand.class, EvalProbeHeadCommand.class},
    description = {"Score every checkpoint of one or more series on the same seeded held-out sample: cross-entropy, softmax"
        + " collapse and zero-loss fractions (fp16/fp32/fp64), anisotropy per layer, LM-head singular values, singular entropy"
        + " and effective rank. Writes an eval artifact (Arrow + CSV tables, SVG + PNG charts).",
        "Checkpoints: a checkpoint artifact id, a directory of Hugging Face GPT-NeoX checkpoints (sub-directories with"
            + " config.json + model.safetensors, e.g. step1000/), or a hub id owner/name (needs network)."})
public final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WorkspaceOption ws;
  @Mixin EvalOptions options;
  @Mixin ResourceOptions resources;

  @Option(names = "--checkpoints", paramLabel = "ID|DIR|HUB_ID",
      description = "A checkpoint series; repeat for several models (one line per model in the charts). Default: the newest checkpoint artifact.")
  List<String> checkpoints = new ArrayList<>();

  @Option(names = "--revisions", split = ",", paramLabel = "REV", description = "Hub revisions to fetch for a hub id (e.g. step1000,step143000; default main).")
  List<String> revisions = new ArrayList<>();

  @Option(names = "--tokens", paramLabel = "ID",
      description = "Token artifact whose validation split is scored (default: the one a saturn checkpoint artifact was trained on, else"
          + " the newest made with the checkpoints' tokenizer).")
  String tokensId;

  @Override
  public Integer call() throws Exception {
    if (options.model() != null && checkpoints.size() > 1) {
      throw new IllegalArgumentException("--model names one series; with several --checkpoints the names come from the sources");
    }
    Resources r = resources.resources();
    options.toConfig(0, r.threads()); // validates before anything is read or written
    Workspace w = ws.open();
    ConsoleListener console = ConsoleListener.stderr("eval", GlobalOptions.of(spec).quiet());
    List<String> sources = new ArrayList<>();
    for (String c : checkpoints) {
      boolean artifact = !java.nio.file.Files.isDirectory(java.nio.file.Path.of(c)) && !c.matches("^[A-Za-z0-9][\\w.-]*/[\\w.-]+$");
      sources.add(artifact ? InputChoice.pick(w, c, CheckpointSource.CHECKPOINT_STAGE, "--checkpoints", InputChoice.any(), "", console).id() : c);
    }
    if (sources.isEmpty()) {
      sources.add(InputChoice.pick(w, null, CheckpointSource.CHECKPOINT_STAGE, "--checkpoints", InputChoice.any(), "", console).id());
    }
    Artifact trained = sources.stream().filter(EvalCommand::isArtifactId).findFirst().map(id -> {
      try {
        return w.byId(id);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).orElse(null);
    String tok = tokens(w, trained, console);
    int trainedSeqLen = trained == null ? 0 : trained.manifest().config().path("seqLen").asInt(0);
    EvalSpec s = new EvalSpec(sources, revisions, tok, options.toConfig(trainedSeqLen, r.threads()));
    Artifact a = new CommandRun(w, "eval", spec.commandLine().getParseResult().originalArgs(), GlobalOptions.of(spec))
        .runOne(CommandRun.node("eval", new EvalStage(), r).setSpecs(in -> s).build(), r);
    System.out.println("eval: " + a.id() + " in " + a.dir());
    return ExitCodes.OK;
  }

  private static boolean isArtifactId(String s) {
    return s.matches(CheckpointSource.CHECKPOINT_STAGE + "-[0-9a-f]{16}");
  }

  /** The token artifact: as given; else the one the checkpoints were trained on; else the newest (checked by the stage). */
  private String tokens(Workspace w, Artifact trained, ConsoleListener console) throws java.io.IOException {
    if (tokensId != null || trained == null || trained.manifest().inputs().isEmpty()) {
      String sha = trained == null ? null : trained.manifest().stats().path("tokenizerSha256").asText(null);
      return InputChoice.pick(w, tokensId, TokenArtifact.STAGE, "--tokens",
          a -> sha == null || sha.equals(a.manifest().stats().path(TokenArtifact.KEY_TOKENIZER_SHA256).asText()),
          "made with the checkpoints' tokenizer", console).id();
    }
    String own = trained.manifest().inputs().get(0);
    console.note("scoring the validation split of " + own + ", the token artifact " + trained.id() + " was trained on"
        + " (pass --tokens to choose)");
    return own;
  }
}
