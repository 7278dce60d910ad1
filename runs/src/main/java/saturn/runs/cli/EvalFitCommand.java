package saturn.runs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import saturn.artifact.Artifact;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import saturn.eval.EvalStage;
import saturn.eval.FitConfig;
import saturn.eval.FitSpec;
import saturn.eval.ScalingFitStage;
import saturn.runs.options.FitOptions;
import saturn.stage.Resources;

/** {@code saturn eval fit}: scaling-law fits and saturation verdicts from eval results or a CSV. */
@Command(name = "fit", mixinStandardHelpOptions = true, defaultValueProvider = FitOptions.Defaults.class,
    description = {"Fit Chinchilla's L(N, D) = E + A/N^alpha + B/D^beta (Huber on log loss, L-BFGS from the 4,500-point grid)"
        + " and Kaplan's L(N) = (Nc/N)^alphaN, with bootstrap intervals; with checkpoint series of >= 3 sizes also judge"
        + " saturation against a law fitted on the larger sizes.",
        "Input: eval artifacts (--eval, several to combine model sizes; default the newest) or --csv with columns"
            + " params|params_nonembedding, tokens, loss[, model, step]."})
public final class EvalFitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WorkspaceOption ws;
  @Mixin FitOptions options;

  @Option(names = {"--evals", "--eval"}, paramLabel = "ID", split = ",", description = "Eval artifact(s) whose checkpoint losses to fit.")
  List<String> evalIds = new ArrayList<>();

  @Option(names = "--csv", paramLabel = "FILE", description = "CSV of points instead of eval artifacts.")
  Path csv;

  @Override
  public Integer call() throws Exception {
    FitConfig cfg = options.toConfig();
    ScalingFitStage.Laws laws = options.laws();
    if (csv != null && !evalIds.isEmpty()) throw new IllegalArgumentException("give either --csv or --evals, not both");
    Workspace w = ws.open();
    ConsoleListener console = ConsoleListener.stderr("eval fit", GlobalOptions.of(spec).quiet());
    List<String> evals = new ArrayList<>();
    for (String id : evalIds) evals.add(InputChoice.pick(w, id, EvalStage.STAGE, "--evals", InputChoice.any(), "", console).id());
    if (csv == null && evals.isEmpty()) {
      evals.add(InputChoice.pick(w, null, EvalStage.STAGE, "--evals", InputChoice.any(), "", console).id());
    }
    FitSpec s = new FitSpec(evals, csv == null ? null : csv.toAbsolutePath(), laws, cfg);
    Resources r = Resources.defaults();
    Artifact a = new CommandRun(w, "eval fit", spec.commandLine().getParseResult().originalArgs(), GlobalOptions.of(spec))
        .runOne(CommandRun.node("fit", new ScalingFitStage(), r).setSpecs(in -> s).build(), r);
    System.out.println("fit: " + a.id() + " in " + a.dir());
    var fit = Json.MAPPER.readTree(a.verifiedFile("fit.json").toFile());
    if (fit.has("chinchilla")) {
      var c = fit.get("chinchilla");
      System.out.printf("Chinchilla: L(N,D) = %.4f + %.4g/N^%.4f + %.4g/D^%.4f  (objective %.3g, %d starts)%n", c.get("E").asDouble(),
          c.get("A").asDouble(), c.get("alpha").asDouble(), c.get("B").asDouble(), c.get("beta").asDouble(),
          c.get("objective").asDouble(), c.get("starts").asInt());
      if (c.has("intervals")) {
        var i = c.get("intervals");
        System.out.printf("  %.0f%% intervals: E [%.4f, %.4f]  alpha [%.4f, %.4f]  beta [%.4f, %.4f]  (%d resamples)%n", cfg.confidence() * 100,
            i.get("e").get("low").asDouble(), i.get("e").get("high").asDouble(), i.get("alpha").get("low").asDouble(),
            i.get("alpha").get("high").asDouble(), i.get("beta").get("low").asDouble(), i.get("beta").get("high").asDouble(),
            i.get("resamples").asInt());
      }
    }
    if (fit.has("kaplan")) {
      var k = fit.get("kaplan");
      System.out.printf("Kaplan: L(N) = (%.4g/N)^%.4f  (%d points, rms log residual %.3g)%n", k.get("scale").asDouble(),
          k.get("exponent").asDouble(), k.get("points").asInt(), k.get("rmseLog").asDouble());
    }
    var sat = fit.get("saturation");
    if (sat.has("skipped")) {
      System.out.println("saturation verdicts skipped: " + sat.get("skipped").asText());
    } else {
      System.out.println("saturation (law fitted on " + sat.get("referenceModels") + "):");
      System.out.printf("  %-12s %12s %10s %10s %9s %9s  %s%n", "model", "N", "best", "final", "gap_best", "gap_final", "late rise");
      for (var v : sat.get("verdicts")) {
        System.out.printf("  %-12s %12.4g %10.4f %10.4f %+8.2f%% %+8.2f%%  %s%n", v.get("model").asText(), v.get("params").asDouble(),
            v.get("bestLoss").asDouble(), v.get("finalLoss").asDouble(), 100 * v.get("gapBest").asDouble(), 100 * v.get("gapFinal").asDouble(),
            v.get("roseLate").asBoolean() ? "yes, from step " + v.get("riseStartStep").asLong() : "no");
      }
    }
    return ExitCodes.OK;
  }
}
