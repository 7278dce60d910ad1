package saturn.runs.stages;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.lmhead.GrokSpec;
import saturn.lmhead.GrokStage;
import saturn.lmhead.optim.OptimizerConfig;
import saturn.runs.plan.Metric;
import saturn.runs.plan.Stage;
import saturn.runs.plan.StageCatalog;
import saturn.runs.plan.StageContext;
import saturn.runs.spec.RunSpec;

/** Plan node for {@link GrokStage}: one point of the grokking sweep (full-batch epochs on modular arithmetic). */
final class GrokAdapter implements Stage {
  private final String label;
  private final GrokSpec config;
  private final Map<String, String> tags;

  GrokAdapter(String label, StageCatalog.GrokPoint p, RunSpec.Grokking g, Map<String, String> tags) {
    this.label = label;
    this.tags = tags;
    Options o = new Options(g.options(), g.where(), "grokking.options");
    GrokSpec.Builder b = GrokSpec.builder().optTask(p.op()).optLoss(p.loss()).optPrecision(p.precision())
        .optSeed(p.seed()).optEpochs(Math.toIntExact(p.steps()));
    try {
      // The paper's setup: no weight decay, betas (0.9, 0.99), no clipping, decay on every tensor.
      b.optOptimizer(OptimizerConfig.parse(p.optimizer(), o.number("weight_decay", 0.0), o.number("beta1", 0.9),
          o.number("beta2", 0.99), o.number("grad_clip", 0.0)).withDecayAllTensors(true)
          .withEpsilon(o.number("adam_epsilon", GrokSpec.REFERENCE_ADAM_EPSILON)));
      if (o.has("modulus")) b.optModulus((int) o.integer("modulus", 0));
      if (o.has("train_fraction")) b.optTrainFraction(o.number("train_fraction", 0));
      if (o.has("model")) b.optModel(o.string("model", "mlp"));
      if (o.has("hidden")) {
        List<Integer> h = new ArrayList<>();
        for (String s : o.strings("hidden", List.of())) h.add(Integer.parseInt(s));
        b.optHidden(h);
      }
      if (o.has("lr")) b.optLr(o.number("lr", 0));
      if (o.has("input_scale")) b.optInputScale(o.number("input_scale", 1));
      if (o.has("parity_bits")) b.optParityBits((int) o.integer("parity_bits", 0));
      if (o.has("parity_noise_bits")) b.optParityNoiseBits((int) o.integer("parity_noise_bits", 0));
      if (o.has("parity_samples")) b.optParitySamples((int) o.integer("parity_samples", 0));
      if (o.has("log_every")) b.optLogEvery((int) o.integer("log_every", 1));
      if (o.has("threads")) b.optThreads((int) o.integer("threads", 1));
      o.done();
      this.config = b.build();
    } catch (IllegalArgumentException | ArithmeticException e) {
      if (e instanceof saturn.runs.spec.SpecException s) throw s;
      throw g.where().error("grokking (" + label + "): " + e.getMessage());
    }
  }

  @Override public String label() { return label; }
  @Override public String kind() { return "grok"; }
  @Override public List<String> inputs() { return List.of(); }
  @Override public JsonNode config() { return Json.tree(config); }
  @Override public Map<String, String> tags() { return tags; }

  @Override
  public ArtifactSpec spec(List<Artifact> in) {
    return null;
  }

  @Override
  public Artifact run(Workspace ws, List<Artifact> in, StageContext ctx) throws IOException {
    long[] last = {0};
    return GrokStage.runAndPublish(ws, config, (done, total, trainAcc, testAcc, trainLoss) -> {
      long now = System.nanoTime();
      if (done == total || now - last[0] > 15_000_000_000L) {
        last[0] = now;
        ctx.log().accept(String.format(java.util.Locale.ROOT, "epoch %d/%d train acc %.3f test acc %.3f loss %.4g", done, total,
            trainAcc, testAcc, trainLoss));
      }
    });
  }

  /** DJL allows one gradient collector per JVM at a time: trainings take turns. */
  @Override
  public String exclusiveGroup() {
    return "djl-training";
  }

  @Override
  public Estimate estimate() {
    return new Estimate(512L << 20, config.epochs() * 0.05);
  }

  @Override
  public List<Metric> metrics(Artifact a) throws IOException {
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
}
