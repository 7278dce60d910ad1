package saturn.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Hashing;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.runs.plan.Metric;
import saturn.runs.plan.PlanNode;
import saturn.runs.plan.StageCatalog;
import saturn.stage.StageContext;
import saturn.runs.spec.RunSpec;

/**
 * Small stages that do real (tiny) work on real files, standing in for the stage modules in tests of the runner:
 * ingest splits text into lowercase words, ngram counts word bigrams (and merges into earlier counts), spectra turns
 * the counts into a coverage curve, train and grok write deterministic curves, eval reads them back. Any stage fails
 * when its options say {@code fail: true}; {@code sleep_ms} slows it down (for kill tests).
 */
public final class TestCatalog implements StageCatalog {
  /** How many stage bodies actually ran (not found cached), by kind. */
  public final Map<String, Integer> executed = new java.util.concurrent.ConcurrentHashMap<>();
  /** Most stage bodies of one kind seen running at the same time. */
  public final Map<String, Integer> maxConcurrent = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> running = new java.util.concurrent.ConcurrentHashMap<>();
  private final long sleepMillis;

  public TestCatalog() {
    this(0);
  }

  public TestCatalog(long sleepMillis) {
    this.sleepMillis = sleepMillis;
  }

  @FunctionalInterface
  interface Body {
    void write(Path dir, List<Artifact> inputs) throws IOException;
  }

  @FunctionalInterface
  interface Metrics {
    List<Metric> read(Artifact a) throws IOException;
  }

  final class FileStage implements PlanNode {
    final String label;
    final String kind;
    final List<String> inputs;
    final ObjectNode config;
    final Map<String, String> tags;
    final Body body;
    final Metrics metrics;

    FileStage(String label, String kind, List<String> inputs, ObjectNode config, Map<String, String> tags, Body body, Metrics metrics) {
      this.label = label;
      this.kind = kind;
      this.inputs = inputs;
      this.config = config;
      this.tags = tags;
      this.body = body;
      this.metrics = metrics;
    }

    @Override public String label() { return label; }
    @Override public String kind() { return kind; }
    @Override public List<String> inputs() { return inputs; }
    @Override public JsonNode config() { return config; }
    @Override public Map<String, String> tags() { return tags; }

    @Override
    public ArtifactSpec identify(Workspace ws, List<Artifact> in) {
      return ArtifactSpec.of(kind, "test-" + kind, 1, config, in);
    }

    @Override
    public Artifact run(List<Artifact> in, StageContext ctx) throws Exception {
      return ctx.workspace().obtain(identify(ctx.workspace(), in), pending -> {
        executed.merge(kind, 1, Integer::sum);
        var now = running.computeIfAbsent(kind, k -> new java.util.concurrent.atomic.AtomicInteger());
        maxConcurrent.merge(kind, now.incrementAndGet(), Math::max);
        long sleep = config.path("sleep_ms").asLong(sleepMillis);
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        } finally {
          now.decrementAndGet();
        }
        if (config.path("fail").asBoolean(false)) throw new IOException(label + ": failing as the spec asked (fail: true)");
        body.write(pending.dir(), in);
        pending.stats(Map.of("label", label));
      });
    }

    @Override
    public Estimate estimate() {
      return new Estimate(64L << 20, 1);
    }

    @Override
    public String exclusiveGroup() {
      return kind.equals("train") || kind.equals("grok") ? "training" : null; // as the real training stages
    }

    @Override
    public List<Metric> metrics(Artifact a) throws IOException {
      return metrics == null ? List.of() : metrics.read(a);
    }
  }

  static ObjectNode opts(JsonNode options) {
    return options == null ? Json.MAPPER.createObjectNode() : ((ObjectNode) options).deepCopy();
  }

  @Override
  public PlanNode ingest(String label, RunSpec.Corpus corpus, List<String> files, RunSpec.Tokenizer tokenizer, Map<String, String> tags) {
    ObjectNode c = opts(corpus.ingest());
    c.put("tokenizer", tokenizer.source());
    var sums = c.putArray("files");
    for (String f : files) {
      try {
        sums.addObject().put("name", Path.of(f).getFileName().toString()).put("sha256", Hashing.sha256(Path.of(f)));
      } catch (IOException e) {
        throw corpus.where().error(f + ": " + e.getMessage());
      }
    }
    return new FileStage(label, "ingest", List.of(), c, tags, (dir, in) -> {
      StringBuilder words = new StringBuilder();
      for (String f : files) {
        for (String w : Files.readString(Path.of(f), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).split("[^a-z]+")) {
          if (!w.isEmpty()) words.append(w).append('\n');
        }
      }
      Files.writeString(dir.resolve("tokens.txt"), words);
    }, a -> List.of(Metric.scalar("tokens", tags, Files.readAllLines(a.verifiedFile("tokens.txt")).size())));
  }

  @Override
  public PlanNode ngram(String label, List<String> tokensLabels, String baseLabel, RunSpec.Section options, Map<String, String> tags) {
    List<String> inputs = new ArrayList<>();
    if (baseLabel != null) inputs.add(baseLabel);
    inputs.addAll(tokensLabels);
    ObjectNode c = opts(options.options());
    c.put("merge", baseLabel != null);
    return new FileStage(label, "ngram", inputs, c, tags, (dir, in) -> {
      Map<String, Long> counts = new TreeMap<>();
      int from = 0;
      if (baseLabel != null) {
        for (String line : Files.readAllLines(in.get(0).verifiedFile("counts.tsv"))) {
          String[] p = line.split("\t");
          counts.merge(p[0], Long.parseLong(p[1]), Long::sum);
        }
        from = 1;
      }
      for (Artifact t : in.subList(from, in.size())) {
        List<String> w = Files.readAllLines(t.verifiedFile("tokens.txt"));
        for (int i = 1; i < w.size(); i++) counts.merge(w.get(i - 1) + " " + w.get(i), 1L, Long::sum);
      }
      StringBuilder b = new StringBuilder();
      counts.forEach((k, v) -> b.append(k).append('\t').append(v).append('\n'));
      Files.writeString(dir.resolve("counts.tsv"), b);
    }, null);
  }

  @Override
  public PlanNode spectra(String label, String ngramLabel, RunSpec.Section options, Map<String, String> tags) {
    ObjectNode c = opts(options.options());
    int rank = c.path("rank").asInt(16);
    return new FileStage(label, "spectra", List.of(ngramLabel), c, tags, (dir, in) -> {
      List<Long> counts = new ArrayList<>();
      for (String line : Files.readAllLines(in.get(0).verifiedFile("counts.tsv"))) counts.add(Long.parseLong(line.split("\t")[1]));
      counts.sort(java.util.Comparator.reverseOrder());
      long total = counts.stream().mapToLong(Long::longValue).sum();
      StringBuilder b = new StringBuilder("rank,w_error\n");
      long cum = 0;
      for (int r = 1; r <= Math.min(rank, counts.size()); r++) {
        cum += counts.get(r - 1);
        b.append(r).append(',').append(1.0 - cum / (double) total).append('\n');
      }
      Files.writeString(dir.resolve("spectrum.csv"), b);
    }, a -> List.of(curve("w_error", tags, a.verifiedFile("spectrum.csv"))));
  }

  @Override
  public PlanNode train(String label, String tokensLabel, ModelPoint p, RunSpec.Models models, Map<String, String> tags) {
    ObjectNode c = opts(models.options());
    c.put("preset", p.preset()).put("head", p.head()).put("optimizer", p.optimizer()).put("seed", p.seed()).put("steps", p.steps());
    c.set("checkpoints", Json.tree(p.checkpointSteps()));
    return new FileStage(label, "train", List.of(tokensLabel), c, tags, (dir, in) -> {
      long n = Files.readAllLines(in.get(0).verifiedFile("tokens.txt")).size();
      double floor = p.head().startsWith("lowrank:") ? 3.0 + 8.0 / Integer.parseInt(p.head().replaceAll("\\D", "")) : 3.0;
      java.util.Random rnd = new java.util.Random(p.seed());
      StringBuilder b = new StringBuilder("step,val_loss\n");
      for (long s : p.checkpointSteps()) {
        double loss = floor + 5.0 / Math.sqrt(s + 1) + 0.01 * rnd.nextDouble() + (p.head().equals("softmax") && s > p.steps() / 2 ? 0.05 : 0) + 1.0 / n;
        b.append(s).append(',').append(loss).append('\n');
      }
      Files.writeString(dir.resolve("metrics.csv"), b);
    }, a -> List.of(curve("val_loss", tags, a.verifiedFile("metrics.csv"))));
  }

  @Override
  public PlanNode grok(String label, GrokPoint p, RunSpec.Grokking g, Map<String, String> tags) {
    ObjectNode c = opts(g.options());
    c.put("op", p.op()).put("loss", p.loss()).put("optimizer", p.optimizer()).put("precision", p.precision()).put("seed", p.seed());
    c.set("checkpoints", Json.tree(p.checkpointSteps()));
    return new FileStage(label, "grok", List.of(), c, tags, (dir, in) -> {
      StringBuilder b = new StringBuilder("step,train,val\n");
      for (long s : p.checkpointSteps()) {
        double train = Math.min(1, s / (0.2 * p.steps()));
        double val = 1 / (1 + Math.exp(-(s - 0.6 * p.steps()) / (0.05 * p.steps())));
        b.append(s).append(',').append(train).append(',').append(val).append('\n');
      }
      Files.writeString(dir.resolve("acc.csv"), b);
    }, a -> List.of(column("grok_train_acc", tags, a.verifiedFile("acc.csv"), 1), column("grok_val_acc", tags, a.verifiedFile("acc.csv"), 2)));
  }

  @Override
  public PlanNode eval(String label, String checkpointsLabel, String tokensLabel, RunSpec.Section options, Map<String, String> tags) {
    ObjectNode c = opts(options.options());
    List<String> inputs = List.of(checkpointsLabel, tokensLabel);
    return new FileStage(label, "eval", inputs, c, tags, (dir, in) -> {
      Artifact ck = in.get(0);
      StringBuilder b = new StringBuilder("step,anisotropy\n");
      List<String> lines = Files.readAllLines(ck.verifiedFile("metrics.csv"));
      for (String line : lines.subList(1, lines.size())) {
        double step = Double.parseDouble(line.split(",")[0]);
        b.append((long) step).append(',').append(0.1 + 0.8 * (1 - Math.exp(-step / 100))).append('\n');
      }
      Files.writeString(dir.resolve("anisotropy.csv"), b);
    }, a -> List.of(curve("anisotropy", tags, a.verifiedFile("anisotropy.csv"))));
  }

  @Override
  public PlanNode fit(String label, List<String> evalLabels, Map<String, String> tags) {
    ObjectNode c = Json.MAPPER.createObjectNode();
    return new FileStage(label, "fit", evalLabels, c, tags, (dir, in) -> {
      StringBuilder b = new StringBuilder("model,final_anisotropy\n");
      for (Artifact a : in) {
        List<String> lines = Files.readAllLines(a.verifiedFile("anisotropy.csv"));
        b.append(a.id()).append(',').append(lines.get(lines.size() - 1).split(",")[1]).append('\n');
      }
      Files.writeString(dir.resolve("fit.csv"), b);
    }, a -> List.of(Metric.scalar("fit_models", tags, Files.readAllLines(a.verifiedFile("fit.csv")).size() - 1)));
  }

  static Metric curve(String name, Map<String, String> tags, Path csv) throws IOException {
    return column(name, tags, csv, 1);
  }

  static Metric column(String name, Map<String, String> tags, Path csv, int col) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    double[] x = new double[lines.size() - 1];
    double[] y = new double[lines.size() - 1];
    for (int i = 1; i < lines.size(); i++) {
      String[] p = lines.get(i).split(",");
      x[i - 1] = Double.parseDouble(p[0]);
      y[i - 1] = Double.parseDouble(p[col]);
    }
    return Metric.series(name, tags, x, y);
  }
}
