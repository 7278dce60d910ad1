package saturn.runs.stages;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.ingest.TokenArtifact;
import saturn.lmhead.TrainSpec;
import saturn.lmhead.TrainListener;
import saturn.lmhead.TrainStage;
import saturn.lmhead.optim.OptimizerConfig;
import saturn.runs.plan.Metric;
import saturn.runs.plan.Stage;
import saturn.runs.plan.StageCatalog;
import saturn.runs.plan.StageContext;
import saturn.runs.spec.RunSpec;

/**
 * Plan node for {@link TrainStage}: one point of the model sweep. A training killed mid-way resumes from its last
 * intact checkpoint when the pipeline is run again.
 */
final class TrainAdapter implements Stage {
  private final String label;
  private final String tokensLabel;
  private final TrainSpec config;
  private final Map<String, String> tags;

  TrainAdapter(String label, String tokensLabel, StageCatalog.ModelPoint p, RunSpec.Models models, Map<String, String> tags) {
    this.label = label;
    this.tokensLabel = tokensLabel;
    this.tags = tags;
    Options o = new Options(models.options(), models.where(), "models.options");
    TrainSpec.Builder b = TrainSpec.builder().setPreset(p.preset()).setSteps(Math.toIntExact(p.steps())).optHead(p.head())
        .optSeed(p.seed());
    try {
      OptimizerConfig opt = OptimizerConfig.parse(p.optimizer(), o.number("weight_decay", 0.1), o.number("beta1", 0.9),
          o.number("beta2", 0.95), o.number("grad_clip", 1.0));
      b.optOptimizer(opt);
      if (o.has("batch_size")) b.optBatchSize((int) o.integer("batch_size", 0));
      if (o.has("seq_len")) b.optSeqLen((int) o.integer("seq_len", 0));
      if (o.has("lr")) b.optLr(o.number("lr", 0));
      if (o.has("warmup_steps")) b.optWarmupSteps((int) o.integer("warmup_steps", 0));
      if (o.has("min_lr_ratio")) b.optMinLrRatio(o.number("min_lr_ratio", 0));
      if (o.has("device")) b.optDevice(o.string("device", "cpu"));
      if (o.has("threads")) b.optThreads((int) o.integer("threads", 1));
      if (o.has("eval_interval")) b.optEvalInterval((int) o.integer("eval_interval", 0));
      if (o.has("eval_batches")) b.optEvalBatches((int) o.integer("eval_batches", 0));
      if (o.has("stablemax_float64")) b.optStableMaxFloat64(o.bool("stablemax_float64", true));
      RunSpec.Checkpoints ck = models.checkpoints();
      if (ck.every() > 0) b.optCheckpointEvery(Math.toIntExact(ck.every()));
      else if (ck.logUntil() > 0) b.optCheckpointEvery(Math.toIntExact(p.steps()));
      if (ck.every() > 0 || ck.logUntil() > 0) b.optCheckpointLogUntil(Math.toIntExact(ck.logUntil()));
      o.done();
      this.config = b.build();
      // Fail at plan time, with the spec line, on a preset lmhead does not know.
      saturn.lmhead.GptNeoXConfig.preset(p.preset(), 50257, config.seqLen(), config.headSpec());
    } catch (IllegalArgumentException | ArithmeticException e) {
      if (e instanceof saturn.runs.spec.SpecException s) throw s;
      throw models.where().error("models (" + label + "): " + e.getMessage());
    }
  }

  @Override public String label() { return label; }
  @Override public String kind() { return "train"; }
  @Override public List<String> inputs() { return List.of(tokensLabel); }
  @Override public JsonNode config() { return Json.tree(config); }
  @Override public Map<String, String> tags() { return tags; }

  @Override
  public ArtifactSpec spec(List<Artifact> in) throws IOException {
    return TrainStage.spec(TokenArtifact.of(in.get(0)), config);
  }

  @Override
  public Artifact run(Workspace ws, List<Artifact> in, StageContext ctx) throws IOException {
    long[] lastLogged = {0};
    TrainStage.Result r = TrainStage.run(ws, TokenArtifact.of(in.get(0)), config, true, new TrainListener() {
      @Override
      public void info(String message) {
        ctx.log().accept(message);
      }

      @Override
      public void step(long done, long total, double loss, double tokensPerSecond) {
        long now = System.nanoTime();
        if (done == total || now - lastLogged[0] > 15_000_000_000L) { // a line every 15 s is enough in a pipeline
          lastLogged[0] = now;
          ctx.log().accept(String.format(java.util.Locale.ROOT, "step %d/%d loss %.4f, %.0f tokens/s", done, total, loss, tokensPerSecond));
        }
      }
    });
    return r.artifact();
  }

  /** DJL allows one gradient collector per JVM at a time: trainings take turns. */
  @Override
  public String exclusiveGroup() {
    return "djl-training";
  }

  @Override
  public Estimate estimate() {
    return new Estimate(1L << 30, config.steps() * 0.2);
  }

  @Override
  public List<Metric> metrics(Artifact a) throws IOException {
    Csv t = Csv.read(a.verifiedFile(TrainStage.METRICS_CSV));
    double[][] loss = t.xy("step", "loss", 400);
    double[][] val = t.xy("step", "val_loss", 400);
    return List.of(Metric.series("train_loss", tags, loss[0], loss[1]), Metric.series("train_val_loss", tags, val[0], val[1]));
  }
}
