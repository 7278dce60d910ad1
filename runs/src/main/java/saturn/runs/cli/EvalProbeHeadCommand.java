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
import saturn.eval.ProbeConfig;
import saturn.eval.ProbeHeadStage;
import saturn.eval.ProbeSpec;
import saturn.ingest.TokenArtifact;
import saturn.runs.options.ProbeOptions;
import saturn.runs.options.ResourceOptions;
import saturn.stage.Resources;

/** {@code saturn eval probe-head}: loss vs inner rank r of a head A·B trained on a frozen backbone. */
@Command(name = "probe-head", mixinStandardHelpOptions = true, defaultValueProvider = ProbeOptions.Defaults.class,
    description = "Freeze a backbone, replace its head by logits = A(Bh) of inner rank r, train A and B on a token budget of the"
        + " train split (AdamW, 1%% warm-up, cosine to 10%%), score on held-out tokens; sweep r. Writes a probe artifact"
        + " (probe_head.arrow/.csv, loss_vs_rank.svg/.png).")
public final class EvalProbeHeadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WorkspaceOption ws;
  @Mixin ProbeOptions options;
  @Mixin ResourceOptions resources;

  @Option(names = "--checkpoints", paramLabel = "ID|DIR|HUB_ID", description = "Backbone series (default: the newest checkpoint artifact).")
  String checkpoints;

  @Option(names = "--revisions", split = ",", description = "Hub revisions for a hub id.")
  List<String> revisions = new ArrayList<>();

  @Option(names = "--tokens", paramLabel = "ID", description = "Token artifact: train split for training, val split for scoring (default: the newest).")
  String tokensId;

  @Override
  public Integer call() throws Exception {
    Resources r = resources.resources();
    ProbeConfig cfg = options.toConfig(r.threads(), r.memoryBytes()); // validates before anything is read or written
    Workspace w = ws.open();
    ConsoleListener console = ConsoleListener.stderr("eval probe-head", GlobalOptions.of(spec).quiet());
    String src = checkpoints;
    if (src == null || (!java.nio.file.Files.isDirectory(java.nio.file.Path.of(src)) && !src.contains("/"))) {
      src = InputChoice.pick(w, src, CheckpointSource.CHECKPOINT_STAGE, "--checkpoints", InputChoice.any(), "", console).id();
    }
    String tok = InputChoice.pick(w, tokensId, TokenArtifact.STAGE, "--tokens", InputChoice.any(), "", console).id();
    ProbeSpec s = new ProbeSpec(src, revisions, tok, cfg);
    Artifact a = new CommandRun(w, "eval probe-head", spec.commandLine().getParseResult().originalArgs(), GlobalOptions.of(spec))
        .runOne(CommandRun.node("probe", new ProbeHeadStage(), r).setSpecs(in -> s).build(), r);
    System.out.println("probe: " + a.id() + " in " + a.dir());
    return ExitCodes.OK;
  }
}
