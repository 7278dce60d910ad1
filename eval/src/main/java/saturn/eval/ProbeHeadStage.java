package saturn.eval;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.eval.format.Charts;
import saturn.eval.format.EvalTableFormat;
import saturn.eval.format.Table;
import saturn.eval.format.TableWriter;
import saturn.ingest.TokenArtifact;
import saturn.ingest.format.TokenShardFormat;
import saturn.ingest.format.TokenShardReader;
import saturn.lmhead.GptNeoXConfig;
import saturn.lmhead.GptNeoXModel;
import saturn.lmhead.Losses;
import saturn.lmhead.engine.TorchRuntime;
import saturn.lmhead.optim.LrSchedule;
import saturn.lmhead.optim.Optimizer;
import saturn.lmhead.optim.OptimizerConfig;
import saturn.stage.Inputs;
import saturn.stage.Stage;
import saturn.stage.StageContext;

/**
 * {@code saturn eval probe-head} (methods.md §1.3): freeze a backbone, replace its head by logits = A(Bh) with inner
 * rank r, train A and B with cross-entropy on a token budget of the train split, and score them on held-out tokens;
 * sweep r. The backbone's final hidden states do not depend on r, so they are computed once and cached (the
 * memory cap says how many fit). Publishes a {@code probe} artifact: {@code probe_head.arrow/.csv}, {@code probe.json},
 * {@code loss_vs_rank.svg/.png}.
 */
public final class ProbeHeadStage implements Stage<ProbeSpec> {
  public static final String STAGE = "probe";
  public static final String FORMAT = "saturn-eval-probe";
  public static final int FORMAT_VERSION = 1;

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public ArtifactSpec identify(Workspace ws, ProbeSpec spec) throws IOException {
    return prepare(ws, spec).identity();
  }

  @Override
  public Artifact make(ProbeSpec spec, ArtifactSpec identity, StageContext ctx) throws IOException {
    Prepared p = prepare(ctx.workspace(), spec);
    return probe(ctx.workspace(), p, ctx.resources().threads(), EvalStage.lines(ctx.listener()));
  }

  /** The backbone checkpoint, its inspected config and the identity of the probe artifact. */
  record Prepared(ProbeConfig cfg, CheckpointSource src, CheckpointRef ref, GptNeoXConfig mc, TokenArtifact tokens,
      ArtifactSpec identity) {}

  static Prepared prepare(Workspace ws, ProbeSpec probeSpec) throws IOException {
    ProbeConfig cfg = probeSpec.settings();
    Artifact tokenArtifact = Inputs.open(ws, probeSpec.tokens(), TokenArtifact.STAGE, "--tokens");
    TokenArtifact tokens = TokenArtifact.of(tokenArtifact);
    CheckpointSource src = EvalStage.sources(ws, List.of(probeSpec.checkpoints()), probeSpec.revisions()).get(0);
    CheckpointRef ref = pick(src, cfg.step());
    EvalConfig inspectCfg = EvalConfig.builder().optContextLength(cfg.contextLength()).build();
    GptNeoXConfig mc;
    try {
      mc = EvalStage.inspect(ref, inspectCfg, tokens, null, src.tokenizerSha256());
    } catch (EvalStage.Mismatch e) {
      throw new IllegalArgumentException(ref.dir() + " [" + e.kind + "]: " + e.getMessage());
    }
    long cacheBytes = ((long) cfg.trainTokens() + cfg.evalTokens()) * mc.hiddenSize() * Float.BYTES;
    if (cacheBytes > cfg.memoryBytes()) {
      throw new saturn.stage.MemoryBudgetException("caching " + (cfg.trainTokens() + cfg.evalTokens()) + " hidden states of d="
          + mc.hiddenSize() + " needs " + (cacheBytes >> 20) + " MiB, over --memory " + (cfg.memoryBytes() >> 20)
          + " MiB; raise --memory or lower --train-tokens");
    }
    ArtifactSpec identity = ArtifactSpec.of(STAGE, FORMAT, FORMAT_VERSION,
        new Spec(cfg, src.model(), ref.name(), EvalStage.fingerprint(ref.dir())),
        EvalStage.inputArtifacts(ws, List.of(src), tokenArtifact));
    return new Prepared(cfg, src, ref, mc, tokens, identity);
  }

  record Spec(ProbeConfig config, String model, String checkpoint, String fingerprint) {}

  /** Loss of one rank. */
  public record RankResult(int rank, double evalLoss, double trainLoss, int steps, long trainTokens, double seconds) {}

  static Artifact probe(Workspace ws, Prepared p, int threads, PrintStream log) throws IOException {
    ProbeConfig cfg = p.cfg();
    CheckpointSource src = p.src();
    CheckpointRef ref = p.ref();
    GptNeoXConfig mc = p.mc();
    TokenArtifact tokens = p.tokens();
    return ws.obtain(p.identity(), pending -> {
      Engine engine = TorchRuntime.engine(threads);
      Device device = TorchRuntime.device(cfg.device(), engine);
      List<RankResult> results = new ArrayList<>();
      double baseline;
      try (NDManager base = NDManager.newBaseManager(device, engine.getEngineName());
           GptNeoXModel model = EvalStage.load(base, new EvalStage.Accepted(src.model(), ref, mc, Double.NaN))) {
        int d = mc.hiddenSize();
        int v = mc.vocabSize();
        int[] trainLabels = new int[cfg.trainTokens()];
        float[] trainH = hidden(model, base, tokens, TokenShardFormat.TRAIN, cfg.trainTokens(), cfg.contextLength(), cfg.seed(), trainLabels);
        int[] evalLabels = new int[cfg.evalTokens()];
        float[] evalH = hidden(model, base, tokens, TokenShardFormat.VAL, cfg.evalTokens(), cfg.contextLength(), cfg.seed() + 1, evalLabels);
        log.printf("backbone %s/%s: d=%d, V=%d; cached %d train and %d eval hidden states%n", src.model(), ref.name(), d, v,
            cfg.trainTokens(), cfg.evalTokens());
        int batch = (int) Math.max(1, Math.min(cfg.batchTokens(), cfg.maxBatchBytes() / ((long) v * Float.BYTES * 3)));
        try (NDManager m = base.newSubManager()) {
          NDArray w = model.parameter("embed_out.weight").stopGradient();
          baseline = evalLoss(m, evalH, evalLabels, d, batch, h -> h.matMul(w.transpose()));
        }
        log.printf("original head (rank %d): held-out loss %.4f%n", Math.min(d, v), baseline);
        for (int r : cfg.ranks()) {
          results.add(train(engine, base, cfg, r, d, v, trainH, trainLabels, evalH, evalLabels, batch));
          RankResult rr = results.get(results.size() - 1);
          log.printf("rank %5d: held-out loss %.4f (train %.4f, %d steps, %.1f s)%n", r, rr.evalLoss(), rr.trainLoss(), rr.steps(), rr.seconds());
        }
      }
      Table t = new Table(EvalTableFormat.PROBE).column("rank", Table.Type.LONG).column("eval_loss", Table.Type.DOUBLE)
          .column("train_loss", Table.Type.DOUBLE).column("steps", Table.Type.LONG).column("train_tokens", Table.Type.LONG)
          .column("seconds", Table.Type.DOUBLE).column("original_head_loss", Table.Type.DOUBLE);
      for (RankResult r : results) t.row((long) r.rank(), r.evalLoss(), r.trainLoss(), (long) r.steps(), r.trainTokens(), r.seconds(), baseline);
      TableWriter.write(t, pending.dir());
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("model", src.model());
      json.put("checkpoint", ref.name());
      json.put("d", mc.hiddenSize());
      json.put("vocab", mc.vocabSize());
      json.put("originalHeadLoss", baseline);
      json.put("ranks", results);
      Json.MAPPER.writeValue(pending.dir().resolve("probe.json").toFile(), json);
      chart(pending.dir(), results, baseline, src.model() + "/" + ref.name(), mc.hiddenSize());
      pending.seed("probe", cfg.seed());
      pending.provenance("device", device.toString());
      pending.stats(Map.of("ranks", results.size(), "originalHeadLoss", baseline));
    });
  }

  static CheckpointRef pick(CheckpointSource src, long step) {
    List<CheckpointRef> all = src.checkpoints();
    if (step < 0) return all.get(all.size() - 1);
    for (CheckpointRef r : all) if (r.step() == step) return r;
    throw new IllegalArgumentException(src.description() + " has no checkpoint at step " + step + "; it has "
        + all.stream().map(CheckpointRef::step).toList());
  }

  /** Final hidden states of {@code count} tokens from seeded windows of a split, and their next tokens. */
  static float[] hidden(GptNeoXModel model, NDManager base, TokenArtifact tokens, String split, int count, int t, long seed,
      int[] labels) throws IOException {
    int d = model.config().hiddenSize();
    float[] out = new float[count * d];
    try (TokenShardReader r = tokens.open(split)) {
      if (r.size() < t + 1) {
        throw new IllegalArgumentException(tokens.id() + ": " + split + " split has " + r.size() + " tokens, fewer than one window of " + (t + 1));
      }
      SplittableRandom rnd = new SplittableRandom(seed);
      int windows = (count + t - 1) / t;
      int perBatch = Math.max(1, Math.min(windows, (int) ((64L << 20) / ((long) t * d * Float.BYTES * (model.config().numLayers() + 2)))));
      int filled = 0;
      int[] win = new int[t + 1];
      while (filled < count) {
        int b = Math.min(perBatch, (count - filled + t - 1) / t);
        int[] ids = new int[b * t];
        int[] next = new int[b * t];
        for (int i = 0; i < b; i++) {
          r.read(rnd.nextLong(r.size() - t), win, 0, t + 1);
          System.arraycopy(win, 0, ids, i * t, t);
          System.arraycopy(win, 1, next, i * t, t);
        }
        int take = Math.min(b * t, count - filled);
        try (NDManager m = base.newSubManager()) {
          float[] h = model.hidden(m.create(ids, new Shape(b, t)), null).toFloatArray();
          System.arraycopy(h, 0, out, filled * d, take * d);
        }
        for (int i = 0; i < take; i++) labels[filled + i] = checkLabel(next[i], model.config().realVocabSize(), tokens);
        filled += take;
      }
    }
    return out;
  }

  private static int checkLabel(int token, int vocab, TokenArtifact tokens) {
    if (token >= vocab) throw new IllegalArgumentException(tokens.id() + ": token id " + token + " outside the model's vocabulary of " + vocab);
    return token;
  }

  static RankResult train(Engine engine, NDManager base, ProbeConfig cfg, int r, int d, int v, float[] trainH, int[] trainLabels,
      float[] evalH, int[] evalLabels, int batch) {
    long start = System.nanoTime();
    try (NDManager pm = base.newSubManager()) {
      SplittableRandom rnd = new SplittableRandom(cfg.seed() * 31 + r);
      float[] bInit = new float[r * d];
      for (int i = 0; i < bInit.length; i++) bInit[i] = (float) (rnd.nextGaussian() / Math.sqrt(d));
      NDArray b = pm.create(bInit, new Shape(r, d));
      NDArray a = pm.zeros(new Shape(v, r)); // A = 0: every rank starts from uniform logits (loss ln V)
      b.setRequiresGradient(true);
      a.setRequiresGradient(true);
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("probe.down.weight", b);
      params.put("probe.up.weight", a);
      OptimizerConfig oc = OptimizerConfig.parse("adamw", cfg.weightDecay(), 0.9, 0.95, 1.0);
      int steps = Math.max(1, trainLabels.length / batch);
      LrSchedule lr = new LrSchedule(cfg.learningRate(), Math.max(1, steps / 100), steps, 0.1);
      double tail = 0;
      int tailCount = 0;
      try (Optimizer opt = new Optimizer(pm, oc, params)) {
        for (int s = 0; s < steps; s++) {
          try (NDManager m = pm.newSubManager()) {
            int from = s * batch;
            NDArray h = m.create(java.util.Arrays.copyOfRange(trainH, from * d, (from + batch) * d), new Shape(batch, d));
            NDArray y = m.create(java.util.Arrays.copyOfRange(trainLabels, from, from + batch), new Shape(batch));
            double lossValue;
            try (GradientCollector gc = engine.newGradientCollector()) {
              NDArray logits = h.matMul(b.transpose()).matMul(a.transpose());
              NDArray loss = Losses.softmaxCrossEntropy(logits, y);
              gc.backward(loss);
              lossValue = loss.getFloat();
            }
            Optimizer.clipGradients(params, oc.gradClipNorm());
            opt.step(params, lr.lr(s));
            if (s >= steps - Math.max(1, steps / 10)) {
              tail += lossValue;
              tailCount++;
            }
          }
        }
      }
      double eval;
      try (NDManager m = pm.newSubManager()) {
        NDArray bs = b.stopGradient(), as = a.stopGradient();
        eval = evalLoss(m, evalH, evalLabels, d, batch, h -> h.matMul(bs.transpose()).matMul(as.transpose()));
      }
      return new RankResult(r, eval, tail / tailCount, steps, (long) steps * batch, (System.nanoTime() - start) / 1e9);
    }
  }

  static double evalLoss(NDManager parent, float[] hidden, int[] labels, int d, int batch,
      java.util.function.Function<NDArray, NDArray> head) {
    double sum = 0;
    for (int from = 0; from < labels.length; from += batch) {
      int n = Math.min(batch, labels.length - from);
      try (NDManager m = parent.newSubManager()) {
        NDArray h = m.create(java.util.Arrays.copyOfRange(hidden, from * d, (from + n) * d), new Shape(n, d));
        NDArray y = m.create(java.util.Arrays.copyOfRange(labels, from, from + n), new Shape(n));
        NDArray logits = head.apply(h);
        logits.attach(m);
        sum += Losses.softmaxCrossEntropy(logits, y).getFloat() * (double) n;
      }
    }
    return sum / labels.length;
  }

  static void chart(Path dir, List<RankResult> results, double baseline, String title, int d) throws IOException {
    double[] x = results.stream().mapToDouble(RankResult::rank).toArray();
    double[] y = results.stream().mapToDouble(RankResult::evalLoss).toArray();
    double lo = java.util.Arrays.stream(x).min().orElse(1), hi = java.util.Arrays.stream(x).max().orElse(1);
    Charts.line(dir, "loss_vs_rank", "Held-out loss vs head rank r (frozen backbone " + title + ", d = " + d + ")", "head rank r",
        "held-out loss (nats/token)", true, false, List.of(new Charts.Series("A·B head, rank r", x, y, 0, false),
            new Charts.Series("original head", new double[] {lo, hi}, new double[] {baseline, baseline}, 3, true)));
  }
}
