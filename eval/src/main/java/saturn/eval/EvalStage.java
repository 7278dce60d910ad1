package saturn.eval;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.CorruptArtifactException;
import saturn.artifact.Hashing;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.eval.format.Charts;
import saturn.eval.format.EvalTableFormat;
import saturn.eval.format.Table;
import saturn.eval.format.TableWriter;
import saturn.eval.internal.CheckpointEvaluator;
import saturn.ingest.TokenArtifact;
import saturn.lmhead.Checkpoints;
import saturn.lmhead.GptNeoXConfig;
import saturn.lmhead.GptNeoXModel;
import saturn.lmhead.engine.TorchRuntime;
import saturn.lmhead.format.SafetensorsReader;
import saturn.lmhead.format.Tensor;
import saturn.stage.Inputs;
import saturn.stage.Stage;
import saturn.stage.StageContext;
import saturn.stage.StageListener;

/**
 * {@code saturn eval}: scores every checkpoint of one or more series on the same seeded held-out sample and writes an
 * {@code eval} artifact: {@code checkpoints.arrow/.csv} (one row per checkpoint), {@code metrics.arrow/.csv}
 * (checkpoint × layer anisotropy), {@code head_spectrum.arrow/.csv} (checkpoint × rank), optionally
 * {@code per_position.arrow/.csv}, {@code problems.csv}, and charts of each metric vs step (one line per model).
 * Missing, partial, damaged or mismatched checkpoints are reported by name and skipped, or refused with
 * {@link EvalConfig#strict()}.
 */
public final class EvalStage implements Stage<EvalSpec> {
  public static final String STAGE = "eval";
  public static final String FORMAT = "saturn-eval-metrics";
  public static final int FORMAT_VERSION = 1;

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public ArtifactSpec identify(Workspace ws, EvalSpec spec) throws IOException {
    return prepare(ws, spec, quiet()).identity();
  }

  @Override
  public Artifact make(EvalSpec spec, ArtifactSpec identity, StageContext ctx) throws IOException {
    PrintStream log = lines(ctx.listener());
    Prepared p = prepare(ctx.workspace(), spec, log);
    return evaluate(ctx.workspace(), p, log);
  }

  /** A print stream whose lines become the listener's notes (the evaluator writes lines). */
  static PrintStream lines(StageListener listener) {
    return new PrintStream(new java.io.OutputStream() {
      private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

      @Override
      public synchronized void write(int b) {
        if (b == '\n') {
          listener.note(line.toString(java.nio.charset.StandardCharsets.UTF_8));
          line.reset();
        } else {
          line.write(b);
        }
      }
    }, true, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static PrintStream quiet() {
    return lines(StageListener.SILENT);
  }

  /** The checkpoint series a spec names, resolved: artifacts opened, directories read, hub revisions fetched. */
  static List<CheckpointSource> sources(Workspace ws, List<String> checkpoints, List<String> revisions) throws IOException {
    List<CheckpointSource> out = new ArrayList<>();
    for (String c : checkpoints) {
      out.add(EvalSpec.isArtifactId(c)
          ? CheckpointSource.ofArtifact(Inputs.open(ws, c, CheckpointSource.CHECKPOINT_STAGE, "--checkpoints"))
          : CheckpointSource.resolve(ws, c, revisions));
    }
    return out;
  }

  /** Every artifact the sources and the token artifact contribute, opened. */
  static List<Artifact> inputArtifacts(Workspace ws, List<CheckpointSource> sources, Artifact tokens) throws IOException {
    List<Artifact> out = new ArrayList<>();
    for (CheckpointSource s : sources) for (String id : s.inputIds()) out.add(ws.byId(id));
    out.add(tokens);
    return out;
  }

  /** A checkpoint that was not evaluated: its name, the kind of problem and a one-line message. */
  public record Problem(String model, String checkpoint, String kind, String message) {}

  /** A checkpoint that passed inspection. */
  record Accepted(String model, CheckpointRef ref, GptNeoXConfig config, double tokensSeen) {}

  /** What identifies an eval artifact besides the input ids: config, models and a fingerprint of every checkpoint file. */
  record Spec(EvalConfig config, List<String> models, List<String> checkpointFingerprints) {}

  /** The inspected checkpoints of a spec and the identity of the artifact they make. */
  record Prepared(EvalConfig cfg, TokenArtifact tokens, List<Accepted> accepted, List<Problem> problems, ArtifactSpec identity) {}

  /** Resolves and inspects every checkpoint; {@code log} gets one line per problem. */
  static Prepared prepare(Workspace ws, EvalSpec evalSpec, PrintStream log) throws IOException {
    EvalConfig cfg = evalSpec.settings();
    Artifact tokenArtifact = Inputs.open(ws, evalSpec.tokens(), TokenArtifact.STAGE, "--tokens");
    TokenArtifact tokens = TokenArtifact.of(tokenArtifact);
    List<CheckpointSource> sources = sources(ws, evalSpec.checkpoints(), evalSpec.revisions());
    List<Problem> problems = new ArrayList<>();
    List<Accepted> accepted = new ArrayList<>();
    List<String> fingerprints = new ArrayList<>();
    List<String> models = new ArrayList<>();
    for (CheckpointSource src : sources) {
      String model = sources.size() == 1 && cfg.model() != null ? cfg.model() : src.model();
      models.add(model);
      GptNeoXConfig first = null;
      for (CheckpointRef ref : src.checkpoints()) {
        try {
          GptNeoXConfig c = inspect(ref, cfg, tokens, first, src.tokenizerSha256());
          if (first == null) first = c;
          accepted.add(new Accepted(model, ref, c, tokensSeen(ref, cfg)));
          fingerprints.add(model + "/" + ref.name() + ":" + fingerprint(ref.dir()));
        } catch (Mismatch e) {
          problems.add(new Problem(model, ref.name(), e.kind, e.getMessage()));
        } catch (CorruptArtifactException e) {
          problems.add(new Problem(model, ref.name(), "corrupt", e.getMessage()));
        }
      }
    }
    for (Problem p : problems) log.println("checkpoint " + p.model() + "/" + p.checkpoint() + " [" + p.kind() + "]: " + p.message());
    if (!problems.isEmpty() && cfg.strict()) {
      throw new IllegalArgumentException(problems.size() + " checkpoint(s) cannot be evaluated, first " + problems.get(0).checkpoint()
          + " [" + problems.get(0).kind() + "]: " + problems.get(0).message() + "; fix them or drop --strict to skip them");
    }
    if (accepted.isEmpty()) {
      throw new IllegalArgumentException("no checkpoint can be evaluated (" + problems.size() + " problem(s), see above)");
    }
    if (!problems.isEmpty()) log.println("skipping " + problems.size() + " checkpoint(s); --strict refuses instead");
    ArtifactSpec identity = ArtifactSpec.of(STAGE, FORMAT, FORMAT_VERSION, new Spec(cfg, models, fingerprints),
        inputArtifacts(ws, sources, tokenArtifact));
    return new Prepared(cfg, tokens, accepted, problems, identity);
  }

  /** Scores every accepted checkpoint and publishes the eval artifact. */
  static Artifact evaluate(Workspace ws, Prepared prepared, PrintStream log) throws IOException {
    EvalConfig cfg = prepared.cfg();
    TokenArtifact tokens = prepared.tokens();
    List<Accepted> accepted = prepared.accepted();
    List<Problem> problems = new ArrayList<>(prepared.problems());
    return ws.obtain(prepared.identity(), pending -> {
      TokenSample sample = TokenSample.draw(tokens, cfg.evalTokens(), cfg.contextLength(), cfg.seed());
      log.println("sample: " + sample.windows() + " windows x " + cfg.contextLength() + " tokens = " + sample.scoredTokens()
          + " scored tokens of " + tokens.id() + " (seed " + cfg.seed() + ")");
      List<Scored> scored = new ArrayList<>();
      Engine engine = TorchRuntime.engine(cfg.threads());
      Device device = TorchRuntime.device(cfg.device(), engine);
      try (NDManager base = NDManager.newBaseManager(device, engine.getEngineName())) {
        for (Accepted a : accepted) {
          long t0 = System.nanoTime();
          try (NDManager m = base.newSubManager(); GptNeoXModel model = load(m, a)) {
            CheckpointEvaluator.Metrics met = CheckpointEvaluator.evaluate(model, m, sample, cfg.anisotropyTokens(), cfg.perPosition(),
                cfg.includePaddedRows(), cfg.maxBatchBytes());
            scored.add(new Scored(a, met));
            log.printf("%s/%s: loss %.4f  collapse fp16 %.4f  SE/ln d %.4f  anisotropy(last) %.3f  (%.1f s, %.0f tokens/s)%n",
                a.model(), a.ref().name(), met.loss(), met.collapse()[2], met.normalizedEntropy(),
                met.anisotropy().length == 0 ? Double.NaN : met.anisotropy()[met.anisotropy().length - 1],
                (System.nanoTime() - t0) / 1e9, met.scoredTokens() / met.forwardSeconds());
          } catch (IllegalArgumentException | CorruptArtifactException e) {
            // a file that inspected fine but fails to load (e.g. a tensor damaged past its header)
            Problem p = new Problem(a.model(), a.ref().name(), "load", e.getMessage());
            if (cfg.strict()) throw new IllegalArgumentException(p.checkpoint() + ": " + p.message(), e);
            problems.add(p);
            log.println("checkpoint " + a.model() + "/" + a.ref().name() + " [load]: " + e.getMessage() + " (skipped)");
          }
        }
      }
      if (scored.isEmpty()) throw new IllegalArgumentException("no checkpoint could be loaded; see the lines above");
      write(pending.dir(), scored, problems, cfg);
      pending.seed("sample", cfg.seed());
      pending.provenance("device", device.toString());
      pending.provenance("engine", engine.getEngineName() + " " + engine.getVersion());
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("checkpoints", scored.size());
      stats.put("skipped", problems);
      stats.put("scoredTokens", sample.scoredTokens());
      stats.put("windows", sample.windows());
      stats.put("tokens", tokens.id());
      pending.stats(stats);
    });
  }

  record Scored(Accepted a, CheckpointEvaluator.Metrics m) {}

  /** Thrown by inspection: a checkpoint that cannot be evaluated, with the kind of problem. */
  static final class Mismatch extends Exception {
    private static final long serialVersionUID = 1L;
    final String kind;

    Mismatch(String kind, String message) {
      super(message);
      this.kind = kind;
    }
  }

  /** Checks files, seal, config, vocabulary, tokenizer, context and tensor shapes, without loading the weights. */
  static GptNeoXConfig inspect(CheckpointRef ref, EvalConfig cfg, TokenArtifact tokens, GptNeoXConfig first, String sourceTokenizer)
      throws Mismatch, IOException {
    Path dir = ref.dir();
    for (String f : List.of(Checkpoints.CONFIG_FILE, Checkpoints.MODEL_FILE)) {
      if (!Files.isRegularFile(dir.resolve(f))) throw new Mismatch("partial", dir + " has no " + f);
    }
    if (ref.sealed()) Checkpoints.verify(dir);
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(Files.readString(dir.resolve(Checkpoints.CONFIG_FILE)));
    } catch (IOException e) {
      throw new CorruptArtifactException(dir.resolve(Checkpoints.CONFIG_FILE), "not valid JSON");
    }
    GptNeoXConfig c;
    try {
      c = GptNeoXConfig.fromHfJson(json);
    } catch (IllegalArgumentException e) {
      throw new Mismatch("config", dir.resolve(Checkpoints.CONFIG_FILE) + ": " + e.getMessage());
    }
    boolean statesRealVocab = json.path("saturn").has("real_vocab_size");
    int real = cfg.realVocab() > 0 ? cfg.realVocab() : statesRealVocab ? c.realVocabSize() : tokens.vocabSize();
    if (tokens.vocabSize() > c.vocabSize()) {
      throw new Mismatch("vocab", "token artifact " + tokens.id() + " has a vocabulary of " + tokens.vocabSize() + " but the model's"
          + " vocab_size is " + c.vocabSize() + "; use tokens made with the model's tokenizer");
    }
    if (statesRealVocab && cfg.realVocab() == 0 && c.realVocabSize() != tokens.vocabSize()) {
      throw new Mismatch("vocab", "model was trained on a vocabulary of " + c.realVocabSize() + ", token artifact " + tokens.id()
          + " has " + tokens.vocabSize() + "; use tokens made with the model's tokenizer");
    }
    if (real > c.vocabSize()) throw new Mismatch("vocab", "--real-vocab " + real + " exceeds vocab_size " + c.vocabSize());
    c = c.withRealVocab(real);
    String tokSha = tokenizerSha(dir, json);
    if (tokSha == null) tokSha = sourceTokenizer;
    if (tokSha != null && !tokSha.equals(tokens.tokenizerSha256())) {
      throw new Mismatch("tokenizer", "checkpoint tokenizer sha256 " + tokSha.substring(0, 12) + "… differs from the token artifact's "
          + tokens.tokenizerSha256().substring(0, Math.min(12, tokens.tokenizerSha256().length())) + "… (" + tokens.tokenizerName()
          + "); tokenize the validation text with the model's tokenizer");
    }
    if (cfg.contextLength() > c.maxPositionEmbeddings()) {
      throw new Mismatch("context", "--context " + cfg.contextLength() + " exceeds max_position_embeddings " + c.maxPositionEmbeddings());
    }
    if (first != null && (first.hiddenSize() != c.hiddenSize() || first.numLayers() != c.numLayers()
        || first.numHeads() != c.numHeads() || first.vocabSize() != c.vocabSize() || first.intermediateSize() != c.intermediateSize())) {
      throw new Mismatch("shape", "shape " + shape(c) + " differs from the series' first checkpoint " + shape(first)
          + "; give each model size its own --checkpoints");
    }
    SafetensorsReader r = SafetensorsReader.open(dir.resolve(Checkpoints.MODEL_FILE));
    Map<String, Tensor> tensors = r.tensors();
    for (Map.Entry<String, long[]> e : GptNeoXModel.shapes(c).entrySet()) {
      Tensor t = tensors.get(e.getKey());
      if (t == null) throw new Mismatch("shape", r.file() + " lacks tensor " + e.getKey() + " that config.json implies");
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw new Mismatch("shape", r.file() + ": " + e.getKey() + " is " + Arrays.toString(t.shape()) + ", config.json implies "
            + Arrays.toString(e.getValue()));
      }
    }
    return c;
  }

  private static String shape(GptNeoXConfig c) {
    return "(layers " + c.numLayers() + ", d " + c.hiddenSize() + ", heads " + c.numHeads() + ", vocab " + c.vocabSize() + ")";
  }

  /** The sha256 of the tokenizer a checkpoint names: a tokenizer.json beside it, or a sha recorded by saturn. */
  static String tokenizerSha(Path dir, JsonNode config) throws IOException {
    Path tj = dir.resolve("tokenizer.json");
    if (Files.isRegularFile(tj)) return Hashing.sha256(tj);
    for (String k : List.of("tokenizer_sha256", "tokenizerSha256")) {
      if (config.path("saturn").hasNonNull(k)) return config.path("saturn").get(k).asText();
    }
    Path state = dir.resolve(Checkpoints.STATE_FILE);
    if (Files.isRegularFile(state)) {
      JsonNode s = Json.MAPPER.readTree(Files.readString(state));
      for (String k : List.of("tokenizer_sha256", "tokenizerSha256")) if (s.hasNonNull(k)) return s.get(k).asText();
    }
    return null;
  }

  /** D: tokens seen, from saturn's trainer state when it records them, else step × tokens per step. */
  static double tokensSeen(CheckpointRef ref, EvalConfig cfg) throws IOException {
    Path state = ref.dir().resolve(Checkpoints.STATE_FILE);
    if (Files.isRegularFile(state)) {
      JsonNode s = Json.MAPPER.readTree(Files.readString(state));
      for (String k : List.of("tokens_seen", "tokensSeen", "tokens")) if (s.path(k).isNumber()) return s.get(k).asDouble();
    }
    return ref.step() < 0 ? Double.NaN : (double) ref.step() * cfg.tokensPerStep();
  }

  /** Size and modification time of the weights and config: cheap, and changes whenever a checkpoint is replaced. */
  static String fingerprint(Path dir) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String f : List.of(Checkpoints.CONFIG_FILE, Checkpoints.MODEL_FILE)) {
      Path p = dir.resolve(f);
      sb.append(f).append('=').append(Files.size(p)).append('@').append(Files.getLastModifiedTime(p).toMillis()).append(';');
    }
    return Hashing.sha256(sb.toString()).substring(0, 16);
  }

  static GptNeoXModel load(NDManager m, Accepted a) throws IOException {
    SafetensorsReader r = SafetensorsReader.open(a.ref().dir().resolve(Checkpoints.MODEL_FILE));
    try {
      return GptNeoXModel.fromTensors(m, a.config(), r.tensors());
    } catch (IllegalArgumentException e) {
      throw new CorruptArtifactException(r.file(), e.getMessage());
    }
  }

  static void write(Path dir, List<Scored> scored, List<Problem> problems, EvalConfig cfg) throws IOException {
    Table ck = new Table(EvalTableFormat.CHECKPOINTS).column("model", Table.Type.STRING).column("checkpoint", Table.Type.STRING)
        .column("step", Table.Type.LONG).column("tokens", Table.Type.DOUBLE).column("params_total", Table.Type.DOUBLE)
        .column("params_nonembedding", Table.Type.DOUBLE).column("loss", Table.Type.DOUBLE).column("scored_tokens", Table.Type.LONG)
        .column("collapse_fp16", Table.Type.DOUBLE).column("collapse_fp32", Table.Type.DOUBLE).column("collapse_fp64", Table.Type.DOUBLE)
        .column("zero_loss_fp16", Table.Type.DOUBLE).column("zero_loss_fp32", Table.Type.DOUBLE).column("zero_loss_fp64", Table.Type.DOUBLE)
        .column("head_rows", Table.Type.LONG).column("padded_rows", Table.Type.LONG).column("padded_rows_included", Table.Type.BOOLEAN)
        .column("sigma1", Table.Type.DOUBLE).column("singular_entropy", Table.Type.DOUBLE)
        .column("singular_entropy_normalized", Table.Type.DOUBLE).column("effective_rank", Table.Type.DOUBLE)
        .column("d_model", Table.Type.LONG).column("layers", Table.Type.LONG).column("eval_seconds", Table.Type.DOUBLE);
    Table layers = new Table(EvalTableFormat.LAYERS).column("model", Table.Type.STRING).column("step", Table.Type.LONG)
        .column("layer", Table.Type.LONG).column("layer_name", Table.Type.STRING).column("anisotropy", Table.Type.DOUBLE)
        .column("anisotropy_tokens", Table.Type.LONG);
    Table spec = new Table(EvalTableFormat.HEAD_SPECTRUM).column("model", Table.Type.STRING).column("step", Table.Type.LONG)
        .column("rank", Table.Type.LONG).column("sigma", Table.Type.DOUBLE).column("sigma_normalized", Table.Type.DOUBLE);
    Table pos = new Table(EvalTableFormat.POSITIONS).column("model", Table.Type.STRING).column("step", Table.Type.LONG)
        .column("position", Table.Type.LONG).column("loss", Table.Type.DOUBLE);
    for (Scored s : scored) {
      GptNeoXConfig c = s.a().config();
      CheckpointEvaluator.Metrics m = s.m();
      long step = s.a().ref().step();
      ck.row(s.a().model(), s.a().ref().name(), step, s.a().tokensSeen(), (double) c.parameterCount(),
          (double) c.nonEmbeddingParameterCount(), m.loss(), m.scoredTokens(), m.collapse()[2], m.collapse()[1], m.collapse()[0],
          m.zeroLoss()[2], m.zeroLoss()[1], m.zeroLoss()[0], (long) m.headRows(), (long) c.paddedRows(), cfg.includePaddedRows(),
          m.sigma()[0], m.singularEntropy(), m.normalizedEntropy(), m.effectiveRank(), (long) c.hiddenSize(), (long) c.numLayers(),
          m.forwardSeconds());
      int nl = m.anisotropy().length;
      for (int l = 0; l < nl; l++) {
        String name = l == 0 ? "embeddings" : l == nl - 1 ? "final_layer_norm" : "block_" + (l - 1);
        layers.row(s.a().model(), step, (long) l, name, m.anisotropy()[l], (long) m.anisotropyTokens());
      }
      double[] norm = saturn.eval.metrics.SingularSpectrum.normalizedBySigma1(m.sigma(), null);
      for (int i = 0; i < m.sigma().length; i++) spec.row(s.a().model(), step, (long) (i + 1), m.sigma()[i], norm[i]);
      if (m.perPosition() != null) for (int i = 0; i < m.perPosition().length; i++) pos.row(s.a().model(), step, (long) i, m.perPosition()[i]);
    }
    TableWriter.write(ck, dir);
    TableWriter.write(layers, dir);
    TableWriter.write(spec, dir);
    if (cfg.perPosition()) TableWriter.write(pos, dir);
    Table bad = new Table("problems").column("model", Table.Type.STRING).column("checkpoint", Table.Type.STRING)
        .column("kind", Table.Type.STRING).column("message", Table.Type.STRING);
    for (Problem p : problems) bad.row(p.model(), p.checkpoint(), p.kind(), p.message());
    TableWriter.writeCsv(bad, dir.resolve("problems.csv"));
    charts(dir, scored);
  }

  /** One chart per metric vs step, one line per model; per-layer anisotropy per model; head spectra of each model. */
  static void charts(Path dir, List<Scored> scored) throws IOException {
    Map<String, List<Scored>> byModel = new LinkedHashMap<>();
    for (Scored s : scored) byModel.computeIfAbsent(s.a().model(), k -> new ArrayList<>()).add(s);
    String[][] metrics = {{"loss", "held-out loss (nats/token)"}, {"singular_entropy_normalized", "head singular entropy / ln d"},
        {"effective_rank", "head effective rank exp(SE)"}, {"anisotropy_last", "anisotropy (final hidden states)"},
        {"collapse_fp16", "softmax collapse fraction (fp16)"}, {"collapse_fp32", "softmax collapse fraction (fp32)"}};
    boolean logX = scored.stream().filter(s -> s.a().ref().step() > 0).count() >= 2;
    for (String[] metric : metrics) {
      List<Charts.Series> series = new ArrayList<>();
      int color = 0;
      for (Map.Entry<String, List<Scored>> e : byModel.entrySet()) {
        List<Scored> l = e.getValue();
        double[] x = new double[l.size()], y = new double[l.size()];
        for (int i = 0; i < l.size(); i++) {
          x[i] = l.get(i).a().ref().step();
          y[i] = value(l.get(i).m(), metric[0]);
        }
        series.add(new Charts.Series(e.getKey(), x, y, color++, false));
      }
      Charts.line(dir, metric[0] + "_vs_step", metric[1] + " vs step", "step", metric[1], logX, false, series);
    }
    int mi = 0;
    for (Map.Entry<String, List<Scored>> e : byModel.entrySet()) {
      String safe = e.getKey().replaceAll("[^A-Za-z0-9._-]", "_");
      List<Scored> l = e.getValue();
      int layers = l.get(0).m().anisotropy().length;
      List<Charts.Series> series = new ArrayList<>();
      for (int layer = 0; layer < layers; layer++) {
        double[] x = new double[l.size()], y = new double[l.size()];
        for (int i = 0; i < l.size(); i++) {
          x[i] = l.get(i).a().ref().step();
          y[i] = l.get(i).m().anisotropy()[layer];
        }
        series.add(new Charts.Series(layer == 0 ? "embeddings" : layer == layers - 1 ? "final LN" : "block " + (layer - 1), x, y, layer, false));
      }
      Charts.line(dir, "anisotropy_layers_" + safe, "Anisotropy per layer, " + e.getKey(), "step", "mean pairwise cosine", logX, false, series);
      List<Charts.Series> spectra = new ArrayList<>();
      for (int i = 0; i < l.size(); i++) {
        double[] s = saturn.eval.metrics.SingularSpectrum.normalizedBySigma1(l.get(i).m().sigma(), null);
        double[] r = new double[s.length];
        for (int k = 0; k < s.length; k++) r[k] = k + 1;
        spectra.add(new Charts.Series("step " + l.get(i).a().ref().step(), r, s, i, false));
      }
      Charts.line(dir, "head_spectrum_" + safe, "LM-head singular values / sigma_1, " + e.getKey(), "rank", "sigma / sigma_1", true, true, spectra);
      mi++;
    }
  }

  static double value(CheckpointEvaluator.Metrics m, String metric) {
    switch (metric) {
      case "loss": return m.loss();
      case "singular_entropy_normalized": return m.normalizedEntropy();
      case "effective_rank": return m.effectiveRank();
      case "anisotropy_last": return m.anisotropy().length == 0 ? Double.NaN : m.anisotropy()[m.anisotropy().length - 1];
      case "collapse_fp16": return m.collapse()[2];
      default: return m.collapse()[1];
    }
  }
}
