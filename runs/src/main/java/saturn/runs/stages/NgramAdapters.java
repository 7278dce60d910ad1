package saturn.runs.stages;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.ngram.ContextMatrixConfig;
import saturn.ngram.NgramConfig;
import saturn.ngram.NgramStage;
import saturn.runs.plan.Metric;
import saturn.runs.plan.Stage;
import saturn.runs.plan.StageContext;
import saturn.runs.spec.RunSpec;

/** Plan nodes for {@link NgramStage}: counting (or merging into earlier counts) and building W from the counts. */
final class NgramAdapters {
  static final String[] COUNT_KEYS = {"order", "splits", "memory", "threads"};
  static final String[] MATRIX_KEYS = {"min_count", "top_contexts", "sample_contexts", "seed"};

  private NgramAdapters() {}

  /** {@code ngram/…}: counts of the token artifacts, merged into {@code base}'s counts when there is one. */
  static final class Count implements Stage {
    private final String label;
    private final List<String> inputs;
    private final boolean merge;
    private final NgramConfig config;
    private final Long memoryOption;
    private final Map<String, String> tags;

    Count(String label, List<String> tokensLabels, String baseLabel, RunSpec.Section section, Map<String, String> tags) {
      this.label = label;
      this.tags = tags;
      this.merge = baseLabel != null;
      List<String> in = new java.util.ArrayList<>();
      if (merge) in.add(baseLabel);
      in.addAll(tokensLabels);
      this.inputs = List.copyOf(in);
      Options o = new Options(section.options(), section.where(), "ngram").alsoKnown(MATRIX_KEYS);
      NgramConfig d = NgramConfig.defaults();
      try {
        this.memoryOption = o.has("memory") ? o.bytes("memory", 0) : null;
        this.config = new NgramConfig((int) o.integer("order", d.order()), o.strings("splits", d.splits()),
            memoryOption != null ? memoryOption : d.memoryBudgetBytes(), (int) o.integer("threads", d.threads()));
      } catch (IllegalArgumentException e) {
        throw section.where().error("ngram: " + e.getMessage());
      }
      o.done();
    }

    @Override public String label() { return label; }
    @Override public String kind() { return "ngram"; }
    @Override public List<String> inputs() { return inputs; }
    @Override public Map<String, String> tags() { return tags; }

    @Override
    public JsonNode config() {
      // Only what decides the counts; memory and threads change speed, not the artifact.
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("order", config.order());
      c.put("splits", config.splits());
      c.put("merge", merge);
      return Json.tree(c);
    }

    @Override
    public ArtifactSpec spec(List<Artifact> in) {
      return null; // NgramStage names the artifact; the registry remembers it
    }

    @Override
    public Artifact run(Workspace ws, List<Artifact> in, StageContext ctx) throws IOException {
      NgramConfig c = config.withThreads(Math.max(1, ctx.threads()));
      if (memoryOption == null) c = c.withMemory(Math.max(64L << 20, ctx.memoryBytes()));
      if (merge) return NgramStage.merge(ws, c, in.get(0), in.subList(1, in.size()));
      return NgramStage.count(ws, c, in);
    }

    @Override
    public Estimate estimate() {
      return new Estimate(memoryOption != null ? memoryOption : 1L << 30, 60);
    }

    @Override
    public List<Metric> metrics(Artifact a) {
      JsonNode s = a.manifest().stats();
      return List.of(Metric.scalar("ngrams", tags, s.path("ngrams").asDouble()),
          Metric.scalar("distinct_ngrams", tags, s.path("distinctNgrams").asDouble()),
          Metric.scalar("distinct_contexts", tags, s.path("distinctContexts").asDouble()));
    }
  }

  /** {@code w/…}: W, the context → next-token distribution matrix, from counts. */
  static final class Matrix implements Stage {
    private final String label;
    private final String countsLabel;
    private final ContextMatrixConfig config;
    private final Map<String, String> tags;

    Matrix(String label, String countsLabel, RunSpec.Section section, Map<String, String> tags) {
      this.label = label;
      this.countsLabel = countsLabel;
      this.tags = tags;
      Options o = new Options(section.options(), section.where(), "ngram").alsoKnown(COUNT_KEYS);
      ContextMatrixConfig d = ContextMatrixConfig.defaults();
      try {
        this.config = new ContextMatrixConfig(o.integer("min_count", d.minCount()), o.integer("top_contexts", d.topContexts()),
            o.integer("sample_contexts", d.sampleContexts()), o.integer("seed", d.seed()));
      } catch (IllegalArgumentException e) {
        throw section.where().error("ngram: " + e.getMessage());
      }
      o.done();
    }

    @Override public String label() { return label; }
    @Override public String kind() { return "w"; }
    @Override public List<String> inputs() { return List.of(countsLabel); }
    @Override public JsonNode config() { return Json.tree(config); }
    @Override public Map<String, String> tags() { return tags; }

    @Override
    public ArtifactSpec spec(List<Artifact> in) {
      return null;
    }

    @Override
    public Artifact run(Workspace ws, List<Artifact> in, StageContext ctx) throws IOException {
      return NgramStage.contextMatrix(ws, config, in.get(0));
    }

    @Override
    public Estimate estimate() {
      return new Estimate(1L << 30, 30);
    }

    @Override
    public List<Metric> metrics(Artifact a) {
      JsonNode s = a.manifest().stats();
      return List.of(Metric.scalar("w_rows", tags, s.path("rows").asDouble()), Metric.scalar("w_nnz", tags, s.path("nnz").asDouble()));
    }
  }
}
