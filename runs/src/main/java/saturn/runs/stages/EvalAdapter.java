package saturn.runs.stages;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.eval.CheckpointSource;
import saturn.eval.EvalConfig;
import saturn.eval.EvalStage;
import saturn.eval.format.EvalTableFormat;
import saturn.eval.format.Table;
import saturn.eval.format.TableReader;
import saturn.ingest.TokenArtifact;
import saturn.runs.plan.Metric;
import saturn.runs.plan.Stage;
import saturn.runs.plan.StageContext;
import saturn.runs.spec.RunSpec;

/** Plan node for {@link EvalStage}: loss, anisotropy and LM-head spectrum of every checkpoint of one training run. */
final class EvalAdapter implements Stage {
  private final String label;
  private final List<String> inputs;
  private final EvalConfig config;
  private final boolean contextFromCheckpoints;
  private final Map<String, String> tags;

  EvalAdapter(String label, String checkpointsLabel, String tokensLabel, RunSpec.Section section, Map<String, String> tags) {
    this.label = label;
    this.tags = tags;
    if (tokensLabel == null) throw section.where().error("eval of grokking runs is not part of this build yet");
    this.inputs = List.of(checkpointsLabel, tokensLabel);
    Options o = new Options(section.options(), section.where(), "eval");
    EvalConfig.Builder b = EvalConfig.builder();
    if (o.has("eval_tokens")) b.optEvalTokens((int) o.integer("eval_tokens", 0));
    else b.optEvalTokens(4096); // a pipeline evaluates every checkpoint: keep it quick by default
    this.contextFromCheckpoints = !o.has("context_length");
    if (!contextFromCheckpoints) b.optContextLength((int) o.integer("context_length", 0));
    if (o.has("anisotropy_tokens")) b.optAnisotropyTokens((int) o.integer("anisotropy_tokens", 0));
    if (o.has("seed")) b.optSeed(o.integer("seed", 0));
    if (o.has("per_position")) b.optPerPosition(o.bool("per_position", false));
    if (o.has("include_padded_rows")) b.optIncludePaddedRows(o.bool("include_padded_rows", false));
    if (o.has("tokens_per_step")) b.optTokensPerStep(o.integer("tokens_per_step", 0));
    if (o.has("strict")) b.optStrict(o.bool("strict", false));
    if (o.has("device")) b.optDevice(o.string("device", "cpu"));
    if (o.has("threads")) b.optThreads((int) o.integer("threads", 1));
    o.done();
    try {
      this.config = b.optModel(label.substring(label.indexOf('/') + 1)).build();
    } catch (IllegalArgumentException e) {
      throw section.where().error("eval: " + e.getMessage());
    }
  }

  @Override public String label() { return label; }
  @Override public String kind() { return "eval"; }
  @Override public List<String> inputs() { return inputs; }
  @Override public Map<String, String> tags() { return tags; }

  @Override
  public JsonNode config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("config", config);
    c.put("contextLength", contextFromCheckpoints ? "the training seq_len" : config.contextLength());
    return Json.tree(c);
  }

  @Override
  public ArtifactSpec spec(List<Artifact> in) {
    return null; // EvalStage names its artifact from checkpoint fingerprints; the registry remembers it
  }

  @Override
  public Artifact run(Workspace ws, List<Artifact> in, StageContext ctx) throws IOException {
    EvalConfig c = config;
    if (contextFromCheckpoints) {
      JsonNode trained = in.get(0).manifest().config();
      int seqLen = trained.path("seqLen").asInt(0);
      if (seqLen > 0) c = new EvalConfig(c.evalTokens(), seqLen, c.anisotropyTokens(), c.seed(), c.perPosition(),
          c.includePaddedRows(), c.tokensPerStep(), c.strict(), c.model(), c.realVocab(), c.threads(), c.device(), c.maxBatchBytes());
    }
    PrintStream log = new PrintStream(new LineSink(ctx), true, StandardCharsets.UTF_8);
    return EvalStage.run(ws, c, List.of(CheckpointSource.ofArtifact(in.get(0))), TokenArtifact.of(in.get(1)), log);
  }

  @Override
  public Estimate estimate() {
    return new Estimate(1L << 30, 30);
  }

  @Override
  public List<Metric> metrics(Artifact a) throws IOException {
    List<Metric> out = new ArrayList<>();
    Table ck = TableReader.read(a.verifiedFile(EvalTableFormat.CHECKPOINTS + ".arrow"), EvalTableFormat.CHECKPOINTS);
    out.add(series(ck, "val_loss", "loss"));
    out.add(series(ck, "head_singular_entropy", "singular_entropy"));
    out.add(series(ck, "head_effective_rank", "effective_rank"));
    out.add(series(ck, "softmax_collapse_fp32", "collapse_fp32"));
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

  private Metric series(Table t, String name, String column) {
    List<double[]> pts = new ArrayList<>();
    for (int r = 0; r < t.rows(); r++) {
      double v = t.dbl(column, r);
      if (Double.isFinite(v)) pts.add(new double[] {t.lng("step", r), v});
    }
    pts.sort((p, q) -> Double.compare(p[0], q[0]));
    return Metric.series(name, tags, pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray());
  }

  /** Turns the stage's log lines into the runner's per-stage log. */
  private static final class LineSink extends OutputStream {
    private final StageContext ctx;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    LineSink(StageContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        ctx.log().accept(line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else {
        line.write(b);
      }
    }
  }
}
