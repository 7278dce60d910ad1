package saturn.runs.stages;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import saturn.artifact.Artifact;
import saturn.artifact.Json;
import saturn.eval.format.EvalTableFormat;
import saturn.eval.format.Table;
import saturn.eval.format.TableReader;
import saturn.lmhead.TrainStage;
import saturn.runs.plan.Metric;
import saturn.spectra.Spectrum;
import saturn.spectra.format.SpectrumReader;

/** The figures the run registry keeps of each stage's artifact, for reports and {@code saturn runs diff}. */
public final class StageMetrics {
  private StageMetrics() {}

  /** The reader for artifacts of a stage (by its name); none for stages whose figures no report uses. */
  public static saturn.runs.plan.StageNode.MetricsReader of(String stage) {
    return switch (stage) {
      case "tokens" -> StageMetrics::tokens;
      case "ngram-counts" -> StageMetrics::counts;
      case "ngrams" -> StageMetrics::matrix;
      case "spectrum" -> StageMetrics::spectrum;
      case "checkpoints" -> StageMetrics::checkpoints;
      case "grok" -> StageMetrics::grok;
      case "eval" -> StageMetrics::eval;
      case "fit" -> StageMetrics::fit;
      default -> (a, tags) -> List.of();
    };
  }

  static List<Metric> tokens(Artifact a, Map<String, String> tags) {
    JsonNode s = a.manifest().stats();
    return List.of(Metric.scalar("tokens", tags, s.path("tokens").asDouble()),
        Metric.scalar("documents", tags, s.path("documents").asDouble()),
        Metric.scalar("bytes_per_token", tags, s.path("bytesPerToken").asDouble()));
  }

  static List<Metric> counts(Artifact a, Map<String, String> tags) {
      JsonNode s = a.manifest().stats();
      return List.of(Metric.scalar("ngrams", tags, s.path("ngrams").asDouble()),
          Metric.scalar("distinct_ngrams", tags, s.path("distinctNgrams").asDouble()),
          Metric.scalar("distinct_contexts", tags, s.path("distinctContexts").asDouble()));
    }

  static List<Metric> matrix(Artifact a, Map<String, String> tags) {
      JsonNode s = a.manifest().stats();
      return List.of(Metric.scalar("w_rows", tags, s.path("rows").asDouble()), Metric.scalar("w_nnz", tags, s.path("nnz").asDouble()));
    }

  static List<Metric> spectrum(Artifact a, Map<String, String> tags) throws IOException {
    Spectrum s = SpectrumReader.read(a);
    double[] we = s.wError();
    double[] x = new double[we.length];
    for (int i = 0; i < x.length; i++) x[i] = i;
    double[] sx = new double[s.sigma().length];
    for (int i = 0; i < sx.length; i++) sx[i] = i + 1;
    return List.of(Metric.series("w_error", tags, x, we), Metric.series("w_singular_values", tags, sx, s.sigma()),
        Metric.scalar("w_error_at_max_rank", tags, we[we.length - 1]));
  }

  static List<Metric> checkpoints(Artifact a, Map<String, String> tags) throws IOException {
    Csv t = Csv.read(a.verifiedFile(TrainStage.METRICS_CSV));
    double[][] loss = t.xy("step", "loss", 400);
    double[][] val = t.xy("step", "val_loss", 400);
    return List.of(Metric.series("train_loss", tags, loss[0], loss[1]), Metric.series("train_val_loss", tags, val[0], val[1]));
  }

  static List<Metric> grok(Artifact a, Map<String, String> tags) throws IOException {
    Csv t = Csv.read(a.verifiedFile("metrics.csv"));
    double[][] train = t.xy("epoch", "train_acc", 500);
    double[][] test = t.xy("epoch", "test_acc", 500);
    double[][] sc = t.xy("epoch", "sc_fraction", 500);
    List<Metric> out = new ArrayList<>(List.of(Metric.series("grok_train_acc", tags, train[0], train[1]),
        Metric.series("grok_val_acc", tags, test[0], test[1]), Metric.series("softmax_collapse_fraction", tags, sc[0], sc[1])));
    JsonNode s = a.manifest().stats();
    if (s.has("grokStep")) out.add(Metric.scalar("grok_step", tags, s.get("grokStep").asDouble()));
    return out;
  }

  static List<Metric> eval(Artifact a, Map<String, String> tags) throws IOException {
    List<Metric> out = new ArrayList<>();
    Table ck = TableReader.read(a.verifiedFile(EvalTableFormat.CHECKPOINTS + ".arrow"), EvalTableFormat.CHECKPOINTS);
    out.add(series(tags, ck, "val_loss", "loss"));
    out.add(series(tags, ck, "head_singular_entropy", "singular_entropy"));
    out.add(series(tags, ck, "head_effective_rank", "effective_rank"));
    out.add(series(tags, ck, "softmax_collapse_fp32", "collapse_fp32"));
    // Anisotropy of the last layer at each checkpoint.
    Table layers = TableReader.read(a.verifiedFile(EvalTableFormat.LAYERS + ".arrow"), EvalTableFormat.LAYERS);
    TreeMap<Long, double[]> last = new TreeMap<>(); // step -> (layer, value)
    for (int r = 0; r < layers.rows(); r++) {
      long step = layers.lng("step", r);
      double layer = layers.lng("layer", r);
      double v = layers.dbl("anisotropy", r);
      double[] cur = last.get(step);
      if (cur == null || layer > cur[0]) last.put(step, new double[] {layer, v});
    }
    double[] x = new double[last.size()];
    double[] y = new double[last.size()];
    int i = 0;
    for (var e : last.entrySet()) {
      x[i] = e.getKey();
      y[i++] = e.getValue()[1];
    }
    out.add(Metric.series("anisotropy", tags, x, y));
    // Head spectrum at each checkpoint (normalised singular values).
    Table hs = TableReader.read(a.verifiedFile(EvalTableFormat.HEAD_SPECTRUM + ".arrow"), EvalTableFormat.HEAD_SPECTRUM);
    Map<Long, List<double[]>> bySteps = new TreeMap<>();
    for (int r = 0; r < hs.rows(); r++) {
      bySteps.computeIfAbsent(hs.lng("step", r), k -> new ArrayList<>()).add(new double[] {hs.lng("rank", r), hs.dbl("sigma", r)});
    }
    for (var e : bySteps.entrySet()) {
      Map<String, String> l = new LinkedHashMap<>(tags);
      l.put("step", Long.toString(e.getKey()));
      double[] rx = e.getValue().stream().mapToDouble(p -> p[0]).toArray();
      double[] ry = e.getValue().stream().mapToDouble(p -> p[1]).toArray();
      out.add(Metric.series("head_spectrum", l, rx, ry));
    }
    return out;
  }

  private static Metric series(Map<String, String> tags, Table t, String name, String column) {
    List<double[]> pts = new ArrayList<>();
    for (int r = 0; r < t.rows(); r++) {
      double v = t.dbl(column, r);
      if (Double.isFinite(v)) pts.add(new double[] {t.lng("step", r), v});
    }
    pts.sort((p, q) -> Double.compare(p[0], q[0]));
    return Metric.series(name, tags, pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray());
  }


  static List<Metric> fit(Artifact a, Map<String, String> tags) throws IOException {
    List<Metric> out = new ArrayList<>();
    JsonNode fit = Json.MAPPER.readTree(a.verifiedFile("fit.json").toFile());
    JsonNode law = fit.path("saturation").path("law");
    if (law.isMissingNode()) law = fit.path("chinchilla");
    Table pts = TableReader.read(a.verifiedFile(EvalTableFormat.POINTS + ".arrow"), EvalTableFormat.POINTS);
    if (law.has("E")) {
      double e = law.get("E").asDouble();
      double ca = law.get("A").asDouble();
      double cb = law.get("B").asDouble();
      double alpha = law.get("alpha").asDouble();
      double beta = law.get("beta").asDouble();
      Map<String, TreeMap<Long, Double>> byModel = new TreeMap<>();
      for (int r = 0; r < pts.rows(); r++) {
        double n = pts.dbl("params_total", r);
        double d = pts.dbl("tokens", r);
        if (!(n > 0 && d > 0)) continue;
        byModel.computeIfAbsent(pts.string("model", r), k -> new TreeMap<>()).put(pts.lng("step", r),
            e + ca / Math.pow(n, alpha) + cb / Math.pow(d, beta));
      }
      for (var m : byModel.entrySet()) {
        Map<String, String> l = modelTags(tags, m.getKey());
        out.add(Metric.series("loss_fit", l, m.getValue().keySet().stream().mapToDouble(Long::doubleValue).toArray(),
            m.getValue().values().stream().mapToDouble(Double::doubleValue).toArray()));
      }
      out.add(Metric.scalar("fit_E", tags, e));
      out.add(Metric.scalar("fit_alpha", tags, alpha));
      out.add(Metric.scalar("fit_beta", tags, beta));
    }
    for (JsonNode v : fit.path("saturation").path("verdicts")) {
      out.add(Metric.scalar("saturation_gap", modelTags(tags, v.path("model").asText()), v.path("gapFinal").asDouble()));
    }
    return out;
  }

  /** The eval stage names each model after its plan path (corpus/tokenizer/preset/head/optimizer/seed). */
  private static Map<String, String> modelTags(Map<String, String> tags, String model) {
    Map<String, String> l = new LinkedHashMap<>(tags);
    String[] p = model.split("/");
    if (p.length == 6) {
      l.put("corpus", p[0]);
      l.put("tokenizer", p[1]);
      l.put("preset", p[2]);
      l.put("head", p[3]);
      l.put("optimizer", p[4]);
      l.put("seed", p[5].startsWith("s") ? p[5].substring(1) : p[5]);
    } else {
      l.put("model", model);
    }
    return l;
  }
}
