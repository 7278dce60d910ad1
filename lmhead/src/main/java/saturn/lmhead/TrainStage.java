package saturn.lmhead;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.CorruptArtifactException;
import saturn.artifact.Json;
import saturn.artifact.PendingArtifact;
import saturn.artifact.Workspace;
import saturn.ingest.TokenArtifact;
import saturn.ingest.format.TokenShardFormat;
import saturn.ingest.format.TokenShardReader;
import saturn.lmhead.engine.TorchRuntime;
import saturn.lmhead.format.SafetensorsReader;
import saturn.lmhead.format.SafetensorsWriter;
import saturn.lmhead.internal.MetricsTable;
import saturn.lmhead.internal.WindowSampler;
import saturn.lmhead.optim.LrSchedule;
import saturn.lmhead.optim.Optimizer;
import saturn.stage.Inputs;
import saturn.stage.Progress;
import saturn.stage.Stage;
import saturn.stage.StageContext;
import saturn.stage.StageListener;

/**
 * {@code saturn train}: trains a GPT-NeoX-style model on a token artifact and publishes a {@code checkpoints}
 * artifact (step directories on Pythia's schedule, {@code metrics.csv} + {@code metrics.arrow}).
 *
 * <p>While running, files live in {@code <workspace>/training/<artifact id>/} so that an interrupted or diverged run
 * keeps its checkpoints; {@code resume} continues from the newest intact one and, on CPU, reproduces the
 * uninterrupted run bit for bit (data windows depend only on (seed, step); model and optimizer state round-trip
 * exactly; intra-op threads are fixed). When the run ends, the directory is published as the artifact.
 */
public final class TrainStage implements Stage<TrainSpec> {
  public static final String STAGE = "checkpoints";
  public static final String FORMAT = "saturn-checkpoints";
  public static final int FORMAT_VERSION = 1;
  public static final String METRICS_CSV = "metrics.csv";
  public static final String METRICS_ARROW = "metrics.arrow";
  public static final String TRAINING_DIR = "training";
  public static final List<String> METRIC_COLUMNS = List.of("step", "lr", "loss", "grad_norm", "weight_norm",
      "tokens_per_s", "sc_fraction", "cos_neg_grad_theta", "val_loss", "wall_s");
  private static final long VAL_SEED_SALT = 0x5EED_0F_7A1L;

  private final boolean resume;

  /** A stage that refuses to touch an unfinished run of the same spec. */
  public TrainStage() {
    this(false);
  }

  /** With {@code resume}, an unfinished run of the same spec continues from its newest intact checkpoint. */
  public TrainStage(boolean resume) {
    this.resume = resume;
  }

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public ArtifactSpec identify(Workspace ws, TrainSpec spec) throws IOException {
    Artifact tokens = Inputs.open(ws, spec.tokens(), TokenArtifact.STAGE, "--tokens");
    return ArtifactSpec.of(STAGE, FORMAT, FORMAT_VERSION, spec, List.of(tokens));
  }

  @Override
  public Artifact make(TrainSpec spec, ArtifactSpec identity, StageContext ctx) throws IOException {
    TokenArtifact tokens = TokenArtifact.of(Inputs.open(ctx.workspace(), spec.tokens(), TokenArtifact.STAGE, "--tokens"));
    return train(ctx, tokens, spec, identity).artifact();
  }

  /** What a run produced. */
  public record Result(Artifact artifact, boolean cached, long resumedFromStep, double finalLoss, double finalValLoss) {}

  /** Trains (or finds) the artifact of {@code spec}, and says how the run went. */
  public Result trainOrFind(TrainSpec spec, StageContext ctx) throws IOException {
    ArtifactSpec identity = identify(ctx.workspace(), spec);
    Optional<Artifact> existing = ctx.workspace().find(identity);
    if (existing.isPresent()) {
      ctx.listener().note("already trained: " + existing.get().id() + " (same tokens and spec)");
      return new Result(existing.get(), true, -1, Double.NaN, Double.NaN);
    }
    TokenArtifact tokens = TokenArtifact.of(Inputs.open(ctx.workspace(), spec.tokens(), TokenArtifact.STAGE, "--tokens"));
    return train(ctx, tokens, spec, identity);
  }

  /** The working directory of an unfinished run of this spec. */
  public static Path runDir(Workspace ws, ArtifactSpec spec) {
    return ws.root().resolve(TRAINING_DIR).resolve(spec.id());
  }

  private Result train(StageContext ctx, TokenArtifact tokens, TrainSpec config, ArtifactSpec spec) throws IOException {
    Workspace ws = ctx.workspace();
    StageListener listener = ctx.listener();
    int threads = ctx.resources().threads();
    Path dir = runDir(ws, spec);
    List<String> skipped = new ArrayList<>();
    Optional<Path> from = Optional.empty();
    if (!Checkpoints.list(dir).isEmpty()) {
      if (!resume) {
        throw new IllegalArgumentException("an unfinished run of this config exists in " + dir
            + " (newest " + Checkpoints.list(dir).lastKey() + " steps); pass --resume to continue it or delete that directory");
      }
      from = Checkpoints.latestIntact(dir, skipped);
      for (String s : skipped) listener.note("skipping damaged checkpoint: " + s);
      if (from.isEmpty()) throw new CorruptArtifactException(dir, "no intact checkpoint to resume from; delete the directory to start over");
    } else if (resume) {
      listener.note("nothing to resume in " + dir + "; starting from step 0");
    }
    Files.createDirectories(dir);
    if (from.isPresent()) checkResumeThreads(dir, threads);
    Files.writeString(dir.resolve("run.json"), Json.pretty(Map.of("spec", spec, "tokens", tokens.id(), "threads", threads)));

    Engine engine = TorchRuntime.engine(threads);
    Device device = TorchRuntime.device(config.device(), engine);
    HeadSpec head = config.headSpec();
    GptNeoXConfig modelConfig = GptNeoXConfig.preset(config.preset(), tokens.vocabSize(), config.seqLen(), head);
    try (NDManager root = NDManager.newBaseManager(device, engine.getEngineName());
        TokenShardReader train = tokens.open(TokenShardFormat.TRAIN)) {
      TokenShardReader val = openValidation(tokens, config, listener);
      WindowSampler sampler = new WindowSampler(train, config.batchSize(), config.seqLen(), config.seed(), "train");
      int[][] valBatches = val == null ? new int[0][] : validationBatches(val, config);
      if (val != null) val.close();
      Trainer t = new Trainer(root, engine, modelConfig, config, dir, listener, threads);
      try {
        long start = 0;
        MetricsTable metrics = new MetricsTable(METRIC_COLUMNS);
        if (from.isPresent()) {
          start = t.restore(from.get());
          Path csv = dir.resolve(METRICS_CSV);
          if (Files.isRegularFile(csv)) {
            metrics = MetricsTable.readCsv(csv);
            metrics.truncateFrom(start);
          }
          listener.note("resumed from " + from.get() + " (step " + start + " of " + config.steps() + ")");
        } else {
          t.checkpoint(0);
        }
        metrics.writeCsv(dir.resolve(METRICS_CSV));
        double[] last = t.train(start, sampler, valBatches, metrics);
        metrics.writeCsv(dir.resolve(METRICS_CSV));
        metrics.writeArrow(dir.resolve(METRICS_ARROW));
        Artifact a = publish(ws, spec, dir, config, modelConfig, tokens, t, last, from.isPresent() ? start : -1);
        return new Result(a, false, from.isPresent() ? start : -1, last[0], last[1]);
      } finally {
        t.close();
      }
    }
  }

  /** Resuming is bit-exact only with the intra-op thread count the run started with (libtorch's reductions). */
  private static void checkResumeThreads(Path dir, int threads) throws IOException {
    Path runJson = dir.resolve("run.json");
    if (!Files.isRegularFile(runJson)) return;
    JsonNode started = Json.MAPPER.readTree(Files.readString(runJson)).path("threads");
    if (started.isInt() && started.asInt() != threads) {
      throw new IllegalArgumentException("the unfinished run in " + dir + " started with --threads " + started.asInt()
          + "; resume it with --threads " + started.asInt() + " (the same thread count keeps the resumed run bit-exact)");
    }
  }

  private static TokenShardReader openValidation(TokenArtifact tokens, TrainSpec config, StageListener listener) throws IOException {
    if (config.evalBatches() <= 0) return null;
    try {
      TokenShardReader r = tokens.open(TokenShardFormat.VAL);
      if (r.size() < config.seqLen() + 1L) {
        listener.note("validation split has " + r.size() + " tokens (< seq-len + 1); validation skipped");
        r.close();
        return null;
      }
      return r;
    } catch (CorruptArtifactException missing) {
      listener.note("no validation split (" + missing.getMessage() + "); validation skipped");
      return null;
    }
  }

  private static int[][] validationBatches(TokenShardReader val, TrainSpec config) {
    WindowSampler s = new WindowSampler(val, config.batchSize(), config.seqLen(), config.seed() ^ VAL_SEED_SALT, "val");
    int[][] out = new int[config.evalBatches()][];
    for (int i = 0; i < out.length; i++) out[i] = s.batch(i);
    return out;
  }

  private static Artifact publish(Workspace ws, ArtifactSpec spec, Path dir, TrainSpec config, GptNeoXConfig modelConfig,
      TokenArtifact tokens, Trainer t, double[] last, long resumedFrom) throws IOException {
    try (PendingArtifact p = ws.begin(spec)) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path f : (Iterable<Path>) s::iterator) Files.move(f, p.dir().resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
      }
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("steps", config.steps());
      stats.put("finalLoss", last[0]);
      stats.put("finalValLoss", Double.isNaN(last[1]) ? null : last[1]);
      stats.put("checkpoints", Checkpoints.list(p.dir()).keySet());
      stats.put("parameters", modelConfig.parameterCount());
      stats.put("nonEmbeddingParameters", modelConfig.nonEmbeddingParameterCount());
      stats.put("model", Json.MAPPER.convertValue(modelConfig.toHfJson(), Map.class));
      stats.put("resumedFromStep", resumedFrom);
      stats.put("tokensPerStep", (long) config.batchSize() * config.seqLen());
      stats.put("tokenizerSha256", tokens.tokenizerSha256());
      p.stats(stats);
      p.seed("seed", config.seed());
      p.seed("dataSeed", config.seed());
      p.seed("validationSeed", config.seed() ^ VAL_SEED_SALT);
      p.provenance("engine", TorchRuntime.ENGINE + " " + t.engine.getVersion());
      p.provenance("device", config.device());
      p.provenance("threads", t.threads);
      Artifact a = p.publish();
      deleteTree(dir);
      return a;
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> w = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) w.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
    }
  }

  /** The training loop and its state; one instance per run. */
  static final class Trainer implements AutoCloseable {
    final NDManager root;
    final Engine engine;
    final GptNeoXConfig modelConfig;
    final TrainSpec config;
    final Path dir;
    final StageListener listener;
    final int threads;
    final GptNeoXModel model;
    final Optimizer optimizer;
    final LrSchedule schedule;
    /** Threads of the fused StableMax kernel: as many as libtorch's intra-op threads. */
    final ForkJoinPool pool;
    long lastCheckpoint = -1;

    Trainer(NDManager root, Engine engine, GptNeoXConfig modelConfig, TrainSpec config, Path dir, StageListener listener,
        int threads) {
      this.root = root;
      this.engine = engine;
      this.modelConfig = modelConfig;
      this.config = config;
      this.dir = dir;
      this.listener = listener;
      this.threads = threads;
      this.model = GptNeoXModel.create(root, modelConfig, config.seed());
      this.optimizer = new Optimizer(root, config.optimizer(), model.parameters());
      this.schedule = config.schedule();
      this.pool = new ForkJoinPool(Math.max(1, TorchRuntime.threads()));
    }

    /** Loads model and optimizer state from a verified step directory; returns its step. */
    long restore(Path stepDir) throws IOException {
      Checkpoints.verify(stepDir);
      SafetensorsReader m = SafetensorsReader.open(stepDir.resolve(Checkpoints.MODEL_FILE));
      model.load(m.tensors());
      JsonNode state = Json.MAPPER.readTree(Files.readString(stepDir.resolve(Checkpoints.STATE_FILE)));
      SafetensorsReader o = SafetensorsReader.open(stepDir.resolve(Checkpoints.OPTIMIZER_FILE));
      optimizer.loadState(o.tensors(), state.path("optimizer_step").asLong());
      long step = state.path("step").asLong();
      if (step != Checkpoints.stepOf(stepDir)) throw new CorruptArtifactException(stepDir.resolve(Checkpoints.STATE_FILE), "step " + step + " does not match the directory");
      lastCheckpoint = step;
      return step;
    }

    void checkpoint(long step) throws IOException {
      Path d = Checkpoints.dirOf(dir, step);
      Path tmp = dir.resolve(".tmp_" + Checkpoints.PREFIX + step);
      deleteTree(tmp);
      Files.createDirectories(tmp);
      Map<String, String> meta = Map.of("saturn.step", Long.toString(step));
      model.save(tmp, meta);
      SafetensorsWriter.write(tmp.resolve(Checkpoints.OPTIMIZER_FILE), meta, optimizer.stateTensors());
      ObjectNode s = Json.MAPPER.createObjectNode();
      s.put("step", step);
      s.put("optimizer_step", optimizer.stepCount());
      s.put("optimizer", config.optimizer().label());
      s.put("seed", config.seed());
      s.put("data_rule", "windows of step s drawn from SplittableRandom(mix(seed, s)); nothing else to restore");
      s.put("next_data_step", step);
      s.put("tokens_seen", step * config.batchSize() * (long) config.seqLen());
      s.put("lr_next", step < config.steps() ? schedule.lr(step) : Double.NaN);
      s.set("train_config", Json.tree(config));
      Files.writeString(tmp.resolve(Checkpoints.STATE_FILE), Json.pretty(s));
      Checkpoints.seal(tmp);
      deleteTree(d);
      Files.move(tmp, d, StandardCopyOption.ATOMIC_MOVE);
      lastCheckpoint = step;
    }

    /** Trains from {@code start} to the configured steps; returns {final train loss, final val loss}. */
    double[] train(long start, WindowSampler sampler, int[][] valBatches, MetricsTable metrics) throws IOException {
      int b = config.batchSize();
      int t = config.seqLen();
      double lastLoss = Double.NaN;
      double lastVal = Double.NaN;
      long t0 = System.nanoTime();
      for (long step = start; step < config.steps(); step++) {
        long s0 = System.nanoTime();
        double lr = schedule.lr(step);
        StepStats st = step(sampler.batch(step), lr, step);
        double loss = st.loss();
        double sc = st.scFraction();
        double[] gs = {st.gradNorm(), st.cosNegGradTheta(), st.weightNorm()};
        double secs = (System.nanoTime() - s0) / 1e9;
        double tps = b * (double) t / secs;
        long done = step + 1;
        double val = Double.NaN;
        boolean evalNow = valBatches.length > 0
            && (done == config.steps() || (config.evalInterval() > 0 && done % config.evalInterval() == 0));
        if (evalNow) {
          val = validate(valBatches);
          lastVal = val;
        }
        double cos = gs[1];
        metrics.add(step, lr, loss, gs[0], gs[2], tps, sc, cos, val, (System.nanoTime() - t0) / 1e9);
        Files.writeString(dir.resolve(METRICS_CSV), metrics.csvLine(metrics.rows().get(metrics.rows().size() - 1)),
            StandardOpenOption.APPEND);
        lastLoss = loss;
        listener.progress(new Progress("train", done, config.steps(), "steps", (System.nanoTime() - t0) / 1e9,
            String.format(java.util.Locale.ROOT, "loss %.4f, %,.0f tokens/s", loss, tps)));
        if (evalNow) listener.note(String.format(java.util.Locale.ROOT, "step %d: val loss %.4f", done, val));
        if (done == config.steps() || Checkpoints.isCheckpointStep(done, config.checkpointLogUntil(), config.checkpointEvery())) {
          checkpoint(done);
        }
      }
      return new double[] {lastLoss, lastVal};
    }

    /** What one step measured. */
    record StepStats(double loss, double scFraction, double gradNorm, double cosNegGradTheta, double weightNorm) {}

    /**
     * One optimizer step on a [batch, seqLen + 1] window: forward, loss, backward, metrics, clipping, update. All
     * intermediates live in a per-step sub-manager and scope, closed before returning (native memory stays flat).
     */
    StepStats step(int[] window, double lr, long step) {
      int b = config.batchSize();
      int t = config.seqLen();
      int v = modelConfig.vocabSize();
      Map<String, NDArray> params = model.parameters();
      try (NDManager sm = root.newSubManager(); NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        double loss;
        double sc;
        // Forward activations are freed as soon as backward is done, before the optimizer allocates its
        // temporaries: this keeps the step's peak native memory (and page faults) close to PyTorch eager's.
        try (NDScope forward = new NDScope()) {
          forward.suppressNotUsedWarning();
          NDArray all = sm.create(window, new Shape(b, t + 1L)).toType(DataType.INT64, false);
          NDArray x = all.get(":, 0:" + t);
          NDArray y = all.get(":, 1:").reshape(-1);
          NDArray logits;
          NDArray logProbs = null;
          long[] collapseCandidates = null;
          try (GradientCollector gc = engine.newGradientCollector()) {
            logits = model.forward(x, false).logits().reshape(-1, v);
            if (fusedStableMax()) {
              StableMaxCrossEntropy.Result r =
                  StableMaxCrossEntropy.forwardBackward(logits, targets(window, b, t), modelConfig.head().stableMaxFloat64(), pool);
              TorchRuntime.backward(logits, r.gradient());
              loss = r.loss();
              collapseCandidates = r.collapseCandidates();
            } else {
              NDArray l;
              if (modelConfig.head().loss() == HeadSpec.Loss.SOFTMAX) {
                logProbs = logits.logSoftmax(-1); // kept for the SC fraction
                l = Losses.nllLoss(logProbs, y);
              } else {
                l = Losses.loss(modelConfig.head(), logits, y); // StableMax on a GPU
              }
              gc.backward(l);
              loss = l.toType(DataType.FLOAT64, false).getDouble();
            }
          }
          if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(step, loss, Checkpoints.dirOf(dir, lastCheckpoint));
          }
          if (logProbs != null) sc = Losses.softmaxCollapseFraction(logits, logProbs);
          else if (collapseCandidates != null) sc = Losses.softmaxCollapseFraction(logits, collapseCandidates);
          else sc = Losses.softmaxCollapseFraction(logits);
        }
        double[] gs = gradStats(params);
        Optimizer.clipGradients(params, config.optimizer().gradClipNorm(), gs[0]);
        optimizer.step(params, lr);
        return new StepStats(loss, sc, gs[0], gs[1], gs[2]);
      }
    }

    /** StableMax heads on the CPU use saturn's fused loss-and-gradient kernel (the libtorch form elsewhere). */
    private boolean fusedStableMax() {
      return modelConfig.head().loss() == HeadSpec.Loss.STABLEMAX && Device.cpu().equals(model.manager().getDevice());
    }

    /** The next-token targets of a [batch, seqLen + 1] window, row-major [batch * seqLen]. */
    private static int[] targets(int[] window, int b, int t) {
      int[] y = new int[b * t];
      for (int i = 0; i < b; i++) System.arraycopy(window, i * (t + 1) + 1, y, i * t, t);
      return y;
    }

    /** {grad norm, cos(−g, θ), weight norm} over all parameters, before clipping. */
    static double[] gradStats(Map<String, NDArray> params) {
      double gg = 0, gw = 0, ww = 0;
      for (NDArray p : params.values()) {
        try (NDScope perTensor = new NDScope()) {
          perTensor.suppressNotUsedWarning();
          NDArray g = p.getGradient().reshape(-1);
          NDArray w = p.reshape(-1);
          if (p.getDataType() != DataType.FLOAT32) { // fp16 would overflow, fp64 reads as double
            g = g.toType(DataType.FLOAT64, false);
            w = w.toType(DataType.FLOAT64, false);
          }
          gg += g.dot(g).toType(DataType.FLOAT64, false).getDouble();
          gw += g.dot(w).toType(DataType.FLOAT64, false).getDouble();
          ww += w.dot(w).toType(DataType.FLOAT64, false).getDouble();
        }
      }
      double gn = Math.sqrt(gg);
      double wn = Math.sqrt(ww);
      return new double[] {gn, -gw / (gn * wn + 1e-30), wn};
    }

    double validate(int[][] batches) {
      int b = config.batchSize();
      int t = config.seqLen();
      double sum = 0;
      for (int[] window : batches) {
        try (NDManager sm = root.newSubManager(); NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          NDArray all = sm.create(window, new Shape(b, t + 1L)).toType(DataType.INT64, false);
          NDArray logits = model.forward(all.get(":, 0:" + t), false).logits().reshape(-1, modelConfig.vocabSize());
          sum += Losses.loss(modelConfig.head(), logits, all.get(":, 1:").reshape(-1)).toType(DataType.FLOAT64, false).getDouble();
        }
      }
      return sum / batches.length;
    }

    @Override
    public void close() {
      pool.shutdown();
      optimizer.close();
      model.close();
    }
  }
}
