package saturn.runs.stages;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.eval.CheckpointLoss;
import saturn.eval.FitConfig;
import saturn.eval.ScalingFitStage;
import saturn.eval.format.EvalTableFormat;
import saturn.eval.format.Table;
import saturn.eval.format.TableReader;
import saturn.runs.plan.Metric;
import saturn.runs.plan.Stage;
import saturn.runs.plan.StageContext;

/**
 * Plan node for {@link ScalingFitStage}: the scaling law fitted to the evals of every model size of one sweep group,
 * and the saturation verdicts. Its metrics put the fitted loss beside each model's curve and the gaps in the report.
 */
final class FitAdapter implements Stage {
  private final String label;
  private final List<String> evalLabels;
  private final Map<String, String> tags;

  FitAdapter(String label, List<String> evalLabels, Map<String, String> tags) {
    this.label = label;
    this.evalLabels = List.copyOf(evalLabels);
    this.tags = tags;
  }

  @Override public String label() { return label; }
  @Override public String kind() { return "fit"; }
  @Override public List<String> inputs() { return evalLabels; }
  @Override public JsonNode config() { return Json.tree(Map.of("config", FitConfig.DEFAULT, "laws", "both")); }
  @Override public Map<String, String> tags() { return tags; }

  @Override
  public ArtifactSpec spec(List<Artifact> in) {
    return null;
  }

  @Override
  public Artifact run(Workspace ws, List<Artifact> in, StageContext ctx) throws IOException {
    List<CheckpointLoss> data = new ArrayList<>();
    for (Artifact a : in) data.addAll(ScalingFitStage.fromEvalArtifact(a));
    return ScalingFitStage.run(ws, FitConfig.DEFAULT, ScalingFitStage.Laws.BOTH, data, in.stream().map(Artifact::id).toList());
  }

  @Override
  public Estimate estimate() {
    return new Estimate(512L << 20, 20);
  }

  @Override
  public List<Metric> metrics(Artifact a) throws IOException {
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
        Map<String, String> l = modelTags(m.getKey());
        out.add(Metric.series("loss_fit", l, m.getValue().keySet().stream().mapToDouble(Long::doubleValue).toArray(),
            m.getValue().values().stream().mapToDouble(Double::doubleValue).toArray()));
      }
      out.add(Metric.scalar("fit_E", tags, e));
      out.add(Metric.scalar("fit_alpha", tags, alpha));
      out.add(Metric.scalar("fit_beta", tags, beta));
    }
    for (JsonNode v : fit.path("saturation").path("verdicts")) {
      out.add(Metric.scalar("saturation_gap", modelTags(v.path("model").asText()), v.path("gapFinal").asDouble()));
    }
    return out;
  }

  /** The eval stage names each model after its plan path (corpus/tokenizer/preset/head/optimizer/seed). */
  private Map<String, String> modelTags(String model) {
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
