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
import saturn.eval.CheckpointLoss;
import saturn.eval.EvalStage;
import saturn.eval.FitConfig;
import saturn.eval.ParamsKind;
import saturn.eval.PointsCsv;
import saturn.eval.ScalingFitStage;

/** {@code saturn eval fit}: scaling-law fits and saturation verdicts from eval results or a CSV. */
@Command(name = "fit", mixinStandardHelpOptions = true,
    description = {"Fit Chinchilla's L(N, D) = E + A/N^alpha + B/D^beta (Huber on log loss, L-BFGS from the 4,500-point grid)"
        + " and Kaplan's L(N) = (Nc/N)^alphaN, with bootstrap intervals; with checkpoint series of >= 3 sizes also judge"
        + " saturation against a law fitted on the larger sizes.",
        "Input: eval artifacts (--eval, several to combine model sizes; default the newest) or --csv with columns"
            + " params|params_nonembedding, tokens, loss[, model, step]."})
public final class EvalFitCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Option(names = "--eval", paramLabel = "ID", split = ",", description = "Eval artifact(s) whose checkpoint losses to fit.")
  List<String> evalIds = new ArrayList<>();

  @Option(names = "--csv", paramLabel = "FILE", description = "CSV of points instead of eval artifacts.")
  Path csv;

  @Option(names = "--params", paramLabel = "total|non-embedding", defaultValue = "total",
      description = "Parameter count used as N (default: ${DEFAULT-VALUE}).")
  String params;

  @Option(names = "--law", paramLabel = "both|chinchilla|kaplan", defaultValue = "both", description = "Laws to fit (default: ${DEFAULT-VALUE}).")
  String law;

  @Option(names = "--bootstrap", paramLabel = "N", defaultValue = "200", description = "Bootstrap resamples, 0 for none (default: ${DEFAULT-VALUE}).")
  int bootstrap;

  @Option(names = "--confidence", defaultValue = "0.95", description = "Interval level (default: ${DEFAULT-VALUE}).")
  double confidence;

  @Option(names = "--bootstrap-full-grid", description = "Refit every resample from all 4,500 starts (slow) instead of the best 16 plus the full-data optimum.")
  boolean fullGrid;

  @Option(names = "--seed", defaultValue = "1234", description = "Bootstrap seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--huber-delta", defaultValue = "1e-3", description = "Huber delta on log loss (default: ${DEFAULT-VALUE}).")
  double huberDelta;

  @Option(names = "--kaplan-point", defaultValue = "best", paramLabel = "best|final|all",
      description = "Which checkpoint of each size enters L(N) (default: ${DEFAULT-VALUE}).")
  String kaplanPoint;

  @Option(names = "--reference-models", split = ",", paramLabel = "MODEL",
      description = "Models whose checkpoints fit the law the verdicts extrapolate (default: the larger half of the sizes).")
  List<String> referenceModels = new ArrayList<>();

  @Option(names = "--min-tokens-fraction", defaultValue = "0.1",
      description = "Reference checkpoints enter the law once they have seen this fraction of their final tokens (default: ${DEFAULT-VALUE}).")
  double minTokensFraction;

  @Option(names = "--rise-tolerance", defaultValue = "0.005",
      description = "Relative rise above the minimum of the smoothed loss that counts as a late rise (default: ${DEFAULT-VALUE}).")
  double riseTolerance;

  @Option(names = "--smoothing", defaultValue = "3", description = "Checkpoints in the centred moving average (odd; default: ${DEFAULT-VALUE}).")
  int smoothing;

  @Override
  public Integer call() throws Exception {
    FitConfig cfg = FitConfig.builder().optParams(ParamsKind.parse(params)).optBootstrapResamples(bootstrap).optConfidence(confidence)
        .optBootstrapFullGrid(fullGrid).optSeed(seed).optHuberDelta(huberDelta).optKaplanPoint(kaplanPoint)
        .optReferenceModels(referenceModels).optMinTokensFraction(minTokensFraction).optRiseTolerance(riseTolerance)
        .optSmoothingWindow(smoothing).build();
    ScalingFitStage.Laws laws;
    try {
      laws = ScalingFitStage.Laws.valueOf(law.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--law must be both, chinchilla or kaplan, got '" + law + "'");
    }
    Workspace w = ws.open();
    List<CheckpointLoss> data = new ArrayList<>();
    List<String> inputs = new ArrayList<>();
    if (csv != null) {
      if (!evalIds.isEmpty()) throw new IllegalArgumentException("give either --csv or --eval, not both");
      data.addAll(PointsCsv.read(csv));
      System.out.println("points: " + data.size() + " from " + csv);
    } else {
      List<Artifact> evals = new ArrayList<>();
      if (evalIds.isEmpty()) {
        Artifact newest = w.newest(EvalStage.STAGE).orElseThrow(() -> new IllegalArgumentException(
            "no eval artifact in " + w.root() + "; run `saturn eval` first or pass --csv FILE"));
        System.out.println("using the newest eval artifact: " + newest.id());
        evals.add(newest);
      } else {
        for (String id : evalIds) evals.add(w.get(id));
      }
      for (Artifact a : evals) {
        data.addAll(ScalingFitStage.fromEvalArtifact(a));
        inputs.add(a.id());
      }
      System.out.println("points: " + data.size() + " from " + inputs);
    }
    Artifact a = ScalingFitStage.run(w, cfg, laws, data, inputs);
    System.out.println("fit: " + a.id() + " in " + a.dir());
    var fit = Json.MAPPER.readTree(a.verifiedFile("fit.json").toFile());
    if (fit.has("chinchilla")) {
      var c = fit.get("chinchilla");
      System.out.printf("Chinchilla: L(N,D) = %.4f + %.4g/N^%.4f + %.4g/D^%.4f  (objective %.3g, %d starts)%n", c.get("E").asDouble(),
          c.get("A").asDouble(), c.get("alpha").asDouble(), c.get("B").asDouble(), c.get("beta").asDouble(),
          c.get("objective").asDouble(), c.get("starts").asInt());
      if (c.has("intervals")) {
        var i = c.get("intervals");
        System.out.printf("  %.0f%% intervals: E [%.4f, %.4f]  alpha [%.4f, %.4f]  beta [%.4f, %.4f]  (%d resamples)%n", confidence * 100,
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
