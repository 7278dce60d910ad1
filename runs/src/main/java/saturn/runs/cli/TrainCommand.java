package saturn.runs.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.ingest.TokenArtifact;
import saturn.lmhead.TrainSpec;
import saturn.lmhead.TrainStage;
import saturn.runs.options.ResourceOptions;
import saturn.runs.options.TrainOptions;
import saturn.stage.Inputs;
import saturn.stage.Resources;

/** {@code saturn train}: trains a GPT-NeoX-style model on a token artifact; writes a checkpoints artifact. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, defaultValueProvider = TrainOptions.Defaults.class,
    description = {"Train a GPT-NeoX-style model (Pythia shapes) with a softmax, StableMax or low-rank head.",
        "Checkpoints on Pythia's schedule (0, 1, 2, 4, ..., 512, then every N) as step_<n>/model.safetensors +",
        "config.json (HF GPT-NeoX keys) + optimizer/trainer state; metrics per step in metrics.csv and metrics.arrow.",
        "--threads is part of a run's reproducibility: an interrupted run resumes (--resume) only with the thread count it"
            + " started with."})
public final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WorkspaceOption ws;
  @Mixin TrainOptions options;
  @Mixin ResourceOptions resources;

  @Option(names = "--tokens", paramLabel = "ID", description = "Token artifact id or prefix (default: the newest).")
  String tokens;

  @Option(names = "--resume", description = "Continue an unfinished run of the same spec from its newest intact checkpoint.")
  boolean resume;

  @Override
  public Integer call() throws Exception {
    options.toSpec(Inputs.inMemory(TokenArtifact.STAGE)); // validates every option before the workspace is touched
    Workspace w = ws.open();
    ConsoleListener console = ConsoleListener.stderr("train", GlobalOptions.of(spec).quiet());
    String tokenId = InputChoice.pick(w, tokens, TokenArtifact.STAGE, "--tokens", InputChoice.any(), "", console).id();
    TrainSpec s = options.toSpec(tokenId);
    Resources r = resources.resources();
    Artifact a = new CommandRun(w, "train", spec.commandLine().getParseResult().originalArgs(), GlobalOptions.of(spec))
        .runOne(CommandRun.node("train", new TrainStage(resume), r).setSpecs(in -> s).build(), r);
    System.out.println(a.id() + "  " + a.dir());
    var stats = a.manifest().stats();
    System.out.printf(java.util.Locale.ROOT, "final loss %.4f, val loss %s%n", stats.path("finalLoss").asDouble(),
        stats.path("finalValLoss").isNumber() ? String.format(java.util.Locale.ROOT, "%.4f", stats.path("finalValLoss").asDouble()) : "-");
    return ExitCodes.OK;
  }
}
