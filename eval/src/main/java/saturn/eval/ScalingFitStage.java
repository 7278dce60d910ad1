package saturn.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Hashing;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.eval.format.Charts;
import saturn.eval.format.EvalTableFormat;
import saturn.eval.format.Table;
import saturn.eval.format.TableReader;
import saturn.eval.format.TableWriter;
import saturn.eval.law.Bootstrap;
import saturn.eval.law.ChinchillaFitter;
import saturn.eval.law.ChinchillaLaw;
import saturn.eval.law.KaplanFitter;
import saturn.eval.law.ScalingPoint;
import saturn.stage.Inputs;
import saturn.stage.Stage;
import saturn.stage.StageContext;

/**
 * {@code saturn eval fit}: Chinchilla L(N, D) and Kaplan L(N) fits with bootstrap intervals, and saturation verdicts
 * when the points carry model names and steps. Publishes a {@code fit} artifact: {@code fit.json},
 * {@code points.arrow/.csv}, {@code verdicts.arrow/.csv}, {@code loss_vs_step.svg/.png}, {@code loss_vs_params.svg/.png}.
 */
public final class ScalingFitStage implements Stage<FitSpec> {
  public static final String STAGE = "fit";
  public static final String FORMAT = "saturn-eval-fit";
  public static final int FORMAT_VERSION = 1;

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public ArtifactSpec identify(Workspace ws, FitSpec spec) throws IOException {
    List<Artifact> evals = Inputs.openAll(ws, spec.evals(), EvalStage.STAGE, "--evals");
    return ArtifactSpec.of(STAGE, FORMAT, FORMAT_VERSION,
        new Spec(spec.settings(), spec.laws().name().toLowerCase(java.util.Locale.ROOT), dataSha256(points(spec, evals))), evals);
  }

  @Override
  public Artifact make(FitSpec spec, ArtifactSpec identity, StageContext ctx) throws IOException {
    List<Artifact> evals = Inputs.openAll(ctx.workspace(), spec.evals(), EvalStage.STAGE, "--evals");
    List<CheckpointLoss> data = points(spec, evals);
    FitConfig cfg = spec.settings();
    return ctx.workspace().obtain(identity, pending -> {
      Map<String, Object> result = fit(cfg, spec.laws(), data, pending.dir());
      Json.MAPPER.writeValue(pending.dir().resolve("fit.json").toFile(), result);
      pending.seed("bootstrap", cfg.seed());
      pending.stats(result.get("summary"));
    });
  }

  /** The (N, D, loss) points: every checkpoint row of the eval artifacts, or the rows of the CSV. */
  static List<CheckpointLoss> points(FitSpec spec, List<Artifact> evals) throws IOException {
    if (spec.csv() != null) return PointsCsv.read(spec.csv());
    List<CheckpointLoss> data = new ArrayList<>();
    for (Artifact a : evals) data.addAll(fromEvalArtifact(a));
    return data;
  }

  /** Which laws to fit. */
  public enum Laws { BOTH, CHINCHILLA, KAPLAN }

  /** What identifies a fit artifact: the config, the laws, and the data (input artifact id or the CSV's sha256). */
  record Spec(FitConfig config, String laws, String dataSha256) {}

  /** The (N, D, loss) points of an eval artifact's {@code checkpoints} table. */
  public static List<CheckpointLoss> fromEvalArtifact(Artifact eval) throws IOException {
    Path f = eval.verifiedFile(EvalTableFormat.CHECKPOINTS + ".arrow");
    Table t = TableReader.read(f, EvalTableFormat.CHECKPOINTS);
    List<CheckpointLoss> out = new ArrayList<>();
    for (int r = 0; r < t.rows(); r++) {
      out.add(new CheckpointLoss(t.string("model", r), t.dbl("params_total", r), t.dbl("params_nonembedding", r),
          t.lng("step", r), t.dbl("tokens", r), t.dbl("loss", r)));
    }
    return out;
  }

  /** Sha256 of the points as canonical JSON (the id of CSV input). */
  public static String dataSha256(List<CheckpointLoss> data) {
    return Hashing.sha256(Json.canonical(data));
  }

  /** Does the fitting and writes tables and charts into {@code dir}; returns the content of fit.json. */
  public static Map<String, Object> fit(FitConfig cfg, Laws laws, List<CheckpointLoss> data, Path dir) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> summary = new LinkedHashMap<>();
    out.put("params", cfg.params().name().toLowerCase().replace('_', '-'));
    out.put("points", data.size());
    List<ScalingPoint> pts = new ArrayList<>();
    for (CheckpointLoss c : data) {
      if (c.tokens() > 0) pts.add(new ScalingPoint(c.model() + (c.step() >= 0 ? "@" + c.step() : ""), c.params(cfg.params()), c.tokens(), c.loss()));
    }
    out.put("pointsWithTokens", pts.size());
    ChinchillaLaw chin = null;
    if (laws != Laws.KAPLAN) {
      ChinchillaFitter fitter = new ChinchillaFitter(cfg.fitterOptions());
      long t0 = System.nanoTime();
      ChinchillaFitter.Fit fit = fitter.fit(pts);
      double seconds = (System.nanoTime() - t0) / 1e9;
      chin = fit.law();
      Map<String, Object> c = lawMap(fit);
      c.put("fitSeconds", seconds);
      if (cfg.bootstrapResamples() > 0) c.put("intervals", Bootstrap.chinchilla(pts, fitter, fit, cfg.bootstrapOptions()));
      out.put("chinchilla", c);
      summary.put("E", chin.e());
      summary.put("alpha", chin.alpha());
      summary.put("beta", chin.beta());
    }
    List<CheckpointLoss> kaplanData = new ArrayList<>();
    if (laws != Laws.CHINCHILLA) {
      List<ScalingPoint> kp = kaplanPoints(data, cfg);
      kaplanData.addAll(data);
      KaplanFitter.Fit k = KaplanFitter.fitParams(kp);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scale", k.law().scale());
      m.put("exponent", k.law().exponent());
      m.put("rmseLog", k.rmseLog());
      m.put("points", k.points());
      m.put("point", cfg.kaplanPoint());
      if (cfg.bootstrapResamples() > 0) m.put("intervals", Bootstrap.kaplan(kp, cfg.bootstrapOptions()));
      out.put("kaplan", m);
      summary.put("kaplanExponent", k.law().exponent());
      chartParams(dir, kp, k);
    }
    TableWriter.write(pointsTable(data), dir);
    Map<String, List<CheckpointLoss>> models = Saturation.byModel(data);
    boolean series = data.stream().allMatch(c -> c.step() >= 0) && models.size() >= 2;
    if (series) {
      try {
        Saturation.Result s = Saturation.judge(data, cfg);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("referenceModels", s.referenceModels());
        m.put("referencePoints", s.referencePoints());
        m.put("law", lawMap(s.referenceFit()));
        m.put("verdicts", s.verdicts());
        out.put("saturation", m);
        TableWriter.write(verdictTable(s), dir);
        chartLossVsStep(dir, models, s.referenceFit().law(), cfg);
        summary.put("verdicts", s.verdicts().size());
      } catch (IllegalArgumentException e) {
        out.put("saturation", Map.of("skipped", e.getMessage()));
        if (chin != null) chartLossVsStep(dir, models, chin, cfg);
      }
    } else {
      out.put("saturation", Map.of("skipped", "points carry no model names with steps; verdicts need checkpoint series of >= 3 sizes"));
    }
    out.put("summary", summary);
    return out;
  }

  static Map<String, Object> lawMap(ChinchillaFitter.Fit fit) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("E", fit.law().e());
    c.put("A", fit.law().a());
    c.put("B", fit.law().b());
    c.put("alpha", fit.law().alpha());
    c.put("beta", fit.law().beta());
    c.put("objective", fit.objective());
    c.put("points", fit.points());
    c.put("starts", fit.starts());
    c.put("failedStarts", fit.failedStarts());
    c.put("bestStart", Map.of("a", fit.start()[0], "b", fit.start()[1], "e", fit.start()[2], "alpha", fit.start()[3], "beta", fit.start()[4]));
    return c;
  }

  /** One point per model size for Kaplan's L(N): its best or final checkpoint, or every checkpoint. */
  static List<ScalingPoint> kaplanPoints(List<CheckpointLoss> data, FitConfig cfg) {
    List<ScalingPoint> out = new ArrayList<>();
    for (Map.Entry<String, List<CheckpointLoss>> e : Saturation.byModel(data).entrySet()) {
      List<CheckpointLoss> l = e.getValue();
      if (cfg.kaplanPoint().equals("all")) {
        for (CheckpointLoss c : l) out.add(new ScalingPoint(e.getKey(), c.params(cfg.params()), c.tokens(), c.loss()));
        continue;
      }
      CheckpointLoss pick = l.get(l.size() - 1);
      if (cfg.kaplanPoint().equals("best")) for (CheckpointLoss c : l) if (c.loss() < pick.loss()) pick = c;
      out.add(new ScalingPoint(e.getKey(), pick.params(cfg.params()), pick.tokens(), pick.loss()));
    }
    return out;
  }

  static Table pointsTable(List<CheckpointLoss> data) {
    Table t = new Table(EvalTableFormat.POINTS).column("model", Table.Type.STRING).column("step", Table.Type.LONG)
        .column("tokens", Table.Type.DOUBLE).column("params_total", Table.Type.DOUBLE)
        .column("params_nonembedding", Table.Type.DOUBLE).column("loss", Table.Type.DOUBLE);
    for (CheckpointLoss c : data) t.row(c.model(), c.step(), c.tokens(), c.paramsTotal(), c.paramsNonEmbedding(), c.loss());
    return t;
  }

  static Table verdictTable(Saturation.Result s) {
    Table t = new Table(EvalTableFormat.VERDICTS).column("model", Table.Type.STRING).column("params", Table.Type.DOUBLE)
        .column("reference", Table.Type.BOOLEAN).column("best_step", Table.Type.LONG).column("best_loss", Table.Type.DOUBLE)
        .column("final_step", Table.Type.LONG).column("final_loss", Table.Type.DOUBLE)
        .column("predicted_best", Table.Type.DOUBLE).column("predicted_final", Table.Type.DOUBLE)
        .column("gap_best", Table.Type.DOUBLE).column("gap_final", Table.Type.DOUBLE)
        .column("rose_late", Table.Type.BOOLEAN).column("rise_start_step", Table.Type.LONG).column("rise_relative", Table.Type.DOUBLE);
    for (Saturation.Verdict v : s.verdicts()) {
      t.row(v.model(), v.params(), v.reference(), v.bestStep(), v.bestLoss(), v.finalStep(), v.finalLoss(), v.predictedBest(),
          v.predictedFinal(), v.gapBest(), v.gapFinal(), v.roseLate(), v.riseStartStep(), v.riseRelative());
    }
    return t;
  }

  static void chartLossVsStep(Path dir, Map<String, List<CheckpointLoss>> models, ChinchillaLaw law, FitConfig cfg) throws IOException {
    List<Charts.Series> series = new ArrayList<>();
    int color = 0;
    for (Map.Entry<String, List<CheckpointLoss>> e : models.entrySet()) {
      List<CheckpointLoss> l = e.getValue();
      double[] x = new double[l.size()], y = new double[l.size()], yl = new double[l.size()];
      for (int i = 0; i < l.size(); i++) {
        x[i] = l.get(i).step();
        y[i] = l.get(i).loss();
        yl[i] = l.get(i).tokens() > 0 ? law.loss(l.get(i).params(cfg.params()), l.get(i).tokens()) : Double.NaN;
      }
      series.add(new Charts.Series(e.getKey(), x, y, color, false));
      series.add(new Charts.Series(e.getKey() + " law", x, yl, color, true));
      color++;
    }
    Charts.line(dir, "loss_vs_step", "Loss vs step (dashed: Chinchilla law fitted on the reference sizes)", "step", "loss (nats/token)",
        true, false, series);
  }

  static void chartParams(Path dir, List<ScalingPoint> points, KaplanFitter.Fit k) throws IOException {
    List<ScalingPoint> kp = new ArrayList<>(points);
    kp.sort(java.util.Comparator.comparingDouble(ScalingPoint::params));
    double lo = kp.stream().mapToDouble(ScalingPoint::params).min().orElse(1), hi = kp.stream().mapToDouble(ScalingPoint::params).max().orElse(1);
    int m = 50;
    double[] lx = new double[m], ly = new double[m];
    for (int i = 0; i < m; i++) {
      lx[i] = Math.exp(Math.log(lo / 2) + (Math.log(hi * 2) - Math.log(lo / 2)) * i / (m - 1));
      ly[i] = k.law().loss(lx[i]);
    }
    double[] px = kp.stream().mapToDouble(ScalingPoint::params).toArray(), py = kp.stream().mapToDouble(ScalingPoint::loss).toArray();
    Charts.line(dir, "loss_vs_params", String.format("Kaplan L(N) = (%.3g/N)^%.4f", k.law().scale(), k.law().exponent()),
        "N (parameters)", "loss (nats/token)", true, true,
        List.of(new Charts.Series("points", px, py, 0, false), new Charts.Series("fit", lx, ly, 3, true)));
  }
}
