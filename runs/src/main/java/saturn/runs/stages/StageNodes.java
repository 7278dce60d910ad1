package saturn.runs.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import saturn.artifact.Artifact;
import saturn.artifact.Json;
import saturn.eval.EvalSpec;
import saturn.eval.EvalStage;
import saturn.eval.FitConfig;
import saturn.eval.FitSpec;
import saturn.eval.ScalingFitStage;
import saturn.ingest.IngestStage;
import saturn.lmhead.GptNeoXConfig;
import saturn.lmhead.GrokStage;
import saturn.lmhead.TrainStage;
import saturn.ngram.ContextMatrixStage;
import saturn.ngram.NgramCounts;
import saturn.ngram.NgramStage;
import saturn.runs.options.EvalOptions;
import saturn.runs.options.GrokOptions;
import saturn.runs.options.IngestOptions;
import saturn.runs.options.NgramOptions;
import saturn.runs.options.ResourceOptions;
import saturn.runs.options.SpecOptions;
import saturn.runs.options.SpectraOptions;
import saturn.runs.options.TrainOptions;
import saturn.runs.plan.PlanNode;
import saturn.runs.plan.StageCatalog;
import saturn.runs.plan.StageNode;
import saturn.runs.spec.RunSpec;
import saturn.spectra.SpectraStage;

/**
 * The plan nodes of saturn's stages, made from a run spec's sections: each section is read through the same option
 * classes as the stage's command ({@link SpecOptions}), so a key means what the option means, and each node runs its
 * stage through {@link StageNode} with the spec its inputs and options give.
 */
public final class StageNodes {
  /** DJL allows one gradient collector per JVM at a time: trainings take turns. */
  static final String TRAINING_GROUP = "djl-training";
  /** A pipeline evaluates every checkpoint: fewer held-out tokens than {@code saturn eval} unless the spec says. */
  static final int PIPELINE_EVAL_TOKENS = 4096;

  private StageNodes() {}

  /** Tokenizes one corpus (its resolved files, or a {@code builtin:NAME}) with one tokenizer. */
  public static PlanNode ingest(String label, RunSpec.Corpus corpus, List<String> files, RunSpec.Tokenizer tokenizer,
      Map<String, String> tags) {
    String section = "corpus '" + corpus.name() + "' ingest";
    IngestOptions o = new IngestOptions();
    ResourceOptions r = new ResourceOptions();
    SpecOptions.parse(corpus.ingest(), corpus.where(), section, "ingest", List.of(), o, r);
    List<String> resolved = new ArrayList<>();
    long bytes = 0;
    for (String f : files) {
      try {
        java.nio.file.Path p = f.startsWith("builtin:") ? BuiltinCorpora.file(f.substring("builtin:".length())) : java.nio.file.Path.of(f);
        resolved.add(p.toString());
        bytes += java.nio.file.Files.isRegularFile(p) ? java.nio.file.Files.size(p) : 0;
      } catch (IllegalArgumentException | java.io.IOException e) {
        throw corpus.where().error("corpus '" + corpus.name() + "': " + e.getMessage());
      }
    }
    saturn.ingest.IngestSpec spec;
    try {
      spec = o.toSpec(resolved, tokenizer.source());
    } catch (IllegalArgumentException e) {
      throw corpus.where().error(section + ": " + e.getMessage());
    }
    ObjectNode config = Json.MAPPER.createObjectNode();
    config.set("options", corpus.ingest());
    config.set("files", Json.tree(files));
    config.put("tokenizer", tokenizer.source());
    // ~1 MB/s of text per core with a BPE tokenizer, buffers of a few hundred MB
    return StageNode.builder(label, new IngestStage()).setSpecs(in -> spec).setConfig(config).optTags(tags)
        .optEstimate(estimate(r, 512L << 20, Math.max(2, bytes / 1e6))).optThreads(threads(r))
        .optMetrics(StageMetrics::tokens).build();
  }

  /** The n-gram options of a spec section (counts and W read the same section). */
  static NgramOptions ngramOptions(RunSpec.Section section, ResourceOptions r) {
    NgramOptions o = new NgramOptions();
    SpecOptions.parse(section.options(), section.where(), "ngram", "ngram", List.of("per"), o, r);
    try { // validates at plan time, with the section's line
      o.countSpec(List.of(saturn.stage.Inputs.inMemory("tokens")), null, null);
      o.matrixSpec(saturn.stage.Inputs.inMemory(NgramStage.COUNTS_STAGE));
    } catch (IllegalArgumentException e) {
      throw section.where().error("ngram: " + e.getMessage());
    }
    return o;
  }

  /**
   * Counts the n-grams of the token artifacts made by {@code tokensLabels}; with {@code baseLabel}, merges them into
   * that earlier count artifact instead of counting everything again.
   */
  public static PlanNode ngramCounts(String label, List<String> tokensLabels, String baseLabel, RunSpec.Section section,
      Map<String, String> tags) {
    ResourceOptions r = new ResourceOptions();
    NgramOptions o = ngramOptions(section, r);
    List<String> inputs = new ArrayList<>();
    if (baseLabel != null) inputs.add(baseLabel);
    inputs.addAll(tokensLabels);
    boolean merge = baseLabel != null;
    ObjectNode config = section.options() == null ? Json.MAPPER.createObjectNode() : ((ObjectNode) section.options()).deepCopy();
    config.put("merge", merge);
    return StageNode.builder(label, new NgramStage()).optInputs(inputs).setConfig(config).optTags(tags)
        .setSpecs(in -> {
          List<Artifact> tokens = merge ? in.subList(1, in.size()) : in;
          Artifact base = merge ? in.get(0) : null;
          return o.countSpec(ids(tokens), base == null ? null : base.id(), base == null ? null : NgramCounts.of(base).order());
        })
        .optEstimate(estimate(r, 1L << 30, 60)).optThreads(threads(r)).optMetrics(StageMetrics::counts).build();
  }

  /** W from the counts of {@code countsLabel}. */
  public static PlanNode contextMatrix(String label, String countsLabel, RunSpec.Section section, Map<String, String> tags) {
    ResourceOptions r = new ResourceOptions();
    NgramOptions o = ngramOptions(section, r);
    return StageNode.builder(label, new ContextMatrixStage()).optInputs(List.of(countsLabel)).setConfig(section.options())
        .optTags(tags).setSpecs(in -> o.matrixSpec(in.get(0).id())).optEstimate(estimate(r, 1L << 30, 30))
        .optThreads(threads(r)).optMetrics(StageMetrics::matrix).build();
  }

  /** Spectrum of W made by {@code wLabel}. */
  public static PlanNode spectra(String label, String wLabel, RunSpec.Section section, Map<String, String> tags) {
    SpectraOptions o = new SpectraOptions();
    ResourceOptions r = new ResourceOptions();
    SpecOptions.parse(section.options(), section.where(), "spectra", "spectra", List.of(), o, r);
    try {
      o.toSpec(saturn.spectra.SpectraSpec.NOT_AN_ARTIFACT);
    } catch (IllegalArgumentException e) {
      throw section.where().error("spectra: " + e.getMessage());
    }
    int rank = o.rank() != null ? o.rank() : saturn.spectra.SpectraSpec.DEFAULT_RANK;
    return StageNode.builder(label, new SpectraStage()).optInputs(List.of(wLabel)).setConfig(section.options()).optTags(tags)
        .setSpecs(in -> o.toSpec(in.get(0).id())).optEstimate(estimate(r, 2L << 30, 60 + rank / 10.0))
        .optThreads(threads(r)).optMetrics(StageMetrics::spectrum).build();
  }

  /** One point of the model sweep; a training killed mid-way resumes from its last intact checkpoint on a rerun. */
  public static PlanNode train(String label, String tokensLabel, StageCatalog.ModelPoint p, RunSpec.Models models,
      Map<String, String> tags) {
    String section = "models.options";
    for (String axis : TrainOptions.SWEEP_AXES) {
      if (models.options() != null && models.options().has(axis)) {
        throw models.where().errorAt(axis, section + ": " + axis + " is an axis of the sweep; list it under models: as "
            + (axis.equals("steps") ? "steps" : axis + "s"));
      }
    }
    TrainOptions o = new TrainOptions();
    ResourceOptions r = new ResourceOptions();
    SpecOptions.parse(models.options(), models.where(), section, "train", List.of(), o, r);
    RunSpec.Checkpoints ck = models.checkpoints();
    try {
      o.axes(p.preset(), p.head(), p.optimizer(), p.seed(), Math.toIntExact(p.steps()));
      Integer every = ck.every() > 0 ? Integer.valueOf(Math.toIntExact(ck.every())) : ck.logUntil() > 0 ? Integer.valueOf(Math.toIntExact(p.steps())) : null;
      o.checkpoints(every, ck.every() > 0 || ck.logUntil() > 0 ? Integer.valueOf(Math.toIntExact(ck.logUntil())) : null);
      saturn.lmhead.TrainSpec check = o.toSpec(saturn.stage.Inputs.inMemory("tokens"));
      // Fail at plan time, with the spec line, on a preset lmhead does not know.
      GptNeoXConfig.preset(check.preset(), 50257, check.seqLen(), check.headSpec());
    } catch (IllegalArgumentException | ArithmeticException e) {
      if (e instanceof saturn.runs.spec.SpecException s) throw s;
      throw models.where().error("models (" + label + "): " + e.getMessage());
    }
    ObjectNode config = Json.MAPPER.createObjectNode();
    config.set("point", Json.tree(p));
    config.set("options", models.options());
    return StageNode.builder(label, new TrainStage(true)).optInputs(List.of(tokensLabel)).setConfig(config).optTags(tags)
        .setSpecs(in -> o.toSpec(in.get(0).id())).optExclusiveGroup(TRAINING_GROUP)
        .optEstimate(estimate(r, 1L << 30, p.steps() * 0.2)).optThreads(threads(r)).optMetrics(StageMetrics::checkpoints).build();
  }

  /** One point of the grokking sweep. */
  public static PlanNode grok(String label, StageCatalog.GrokPoint p, RunSpec.Grokking g, Map<String, String> tags) {
    String section = "grokking.options";
    for (String axis : GrokOptions.SWEEP_AXES) {
      if (g.options() != null && g.options().has(axis)) {
        throw g.where().errorAt(axis, section + ": " + axis + " is an axis of the sweep; list it under grokking:");
      }
    }
    GrokOptions o = new GrokOptions();
    ResourceOptions r = new ResourceOptions();
    SpecOptions.parse(g.options(), g.where(), section, "grok", List.of(), o, r);
    saturn.lmhead.GrokSpec spec;
    try {
      spec = o.axes(p.op(), p.loss(), p.optimizer(), p.precision(), p.seed(), Math.toIntExact(p.steps())).toSpec();
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw g.where().error("grokking (" + label + "): " + e.getMessage());
    }
    ObjectNode config = Json.MAPPER.createObjectNode();
    config.set("point", Json.tree(p));
    config.set("options", g.options());
    return StageNode.builder(label, new GrokStage()).setConfig(config).optTags(tags).setSpecs(in -> spec)
        .optExclusiveGroup(TRAINING_GROUP).optEstimate(estimate(r, 512L << 20, spec.epochs() * 0.05)).optThreads(threads(r))
        .optMetrics(StageMetrics::grok).build();
  }

  /** Evaluates the checkpoints of {@code checkpointsLabel} on the held-out split of {@code tokensLabel}. */
  public static PlanNode eval(String label, String checkpointsLabel, String tokensLabel, RunSpec.Section section,
      Map<String, String> tags) {
    EvalOptions o = new EvalOptions();
    ResourceOptions r = new ResourceOptions();
    SpecOptions.parse(section.options(), section.where(), "eval", "eval", List.of(), o, r);
    if (o.model() == null) o.withModel(label.substring(label.indexOf('/') + 1));
    o.evalTokensUnlessGiven(PIPELINE_EVAL_TOKENS);
    try {
      o.toConfig(0, 1); // validates at plan time
    } catch (IllegalArgumentException e) {
      throw section.where().error("eval: " + e.getMessage());
    }
    return StageNode.builder(label, new EvalStage()).optInputs(List.of(checkpointsLabel, tokensLabel))
        .setConfig(section.options()).optTags(tags)
        .setSpecs(in -> new EvalSpec(List.of(in.get(0).id()), List.of(), in.get(1).id(),
            o.toConfig(trainedSeqLen(in.get(0)), 1)))
        .optEstimate(estimate(r, 1L << 30, 30)).optThreads(threads(r)).optMetrics(StageMetrics::eval).build();
  }

  /** A scaling-law fit over the evals of several model sizes, and the saturation verdicts. */
  public static PlanNode fit(String label, List<String> evalLabels, Map<String, String> tags) {
    return StageNode.builder(label, new ScalingFitStage()).optInputs(evalLabels)
        .setConfig(Json.tree(Map.of("config", FitConfig.DEFAULT, "laws", "both"))).optTags(tags)
        .setSpecs(in -> new FitSpec(ids(in), null, ScalingFitStage.Laws.BOTH, FitConfig.DEFAULT))
        .optEstimate(new PlanNode.Estimate(512L << 20, 20)).optMetrics(StageMetrics::fit).build();
  }

  /** The sequence length a checkpoint artifact was trained with (its spec's {@code seqLen}), 0 if unknown. */
  static int trainedSeqLen(Artifact checkpoints) {
    JsonNode c = checkpoints.manifest().config();
    return c == null ? 0 : c.path("seqLen").asInt(0);
  }

  private static PlanNode.Estimate estimate(ResourceOptions r, long defaultMemory, double seconds) {
    return r.memoryGiven() ? new PlanNode.Estimate(r.resources().memoryBytes(), seconds, true)
        : new PlanNode.Estimate(defaultMemory, seconds);
  }

  private static Integer threads(ResourceOptions r) {
    return r.threadsGiven() ? r.resources().threads() : null;
  }

  private static List<String> ids(List<Artifact> in) {
    return in.stream().map(Artifact::id).toList();
  }
}
