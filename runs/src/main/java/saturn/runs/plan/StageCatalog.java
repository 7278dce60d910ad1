package saturn.runs.plan;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import saturn.runs.spec.RunSpec;

/**
 * Makes the stages a spec asks for. The planner decides labels and wiring; the catalog turns spec options into each
 * stage module's immutable config (failing with the spec line when an option is wrong). {@link SaturnStages} is the real
 * one; tests use small ones whose stages write real files.
 */
public interface StageCatalog {
  /** Tokenizes one corpus (its resolved files, or a {@code builtin:NAME}) with one tokenizer. */
  PlanNode ingest(String label, RunSpec.Corpus corpus, List<String> files, RunSpec.Tokenizer tokenizer, Map<String, String> tags);

  /**
   * Counts n-grams of the token artifacts made by {@code tokensLabels}. With {@code baseLabel} non-null, merges them
   * into that earlier n-gram artifact instead of counting everything again.
   */
  PlanNode ngram(String label, List<String> tokensLabels, String baseLabel, RunSpec.Section options, Map<String, String> tags);

  /** W from the counts of {@code countsLabel}; null when the catalog's n-gram stage makes W itself. */
  default PlanNode contextMatrix(String label, String countsLabel, RunSpec.Section options, Map<String, String> tags) {
    return null;
  }

  /** Spectrum of W (made by {@code ngramLabel}: the W stage if there is one, else the n-gram stage). */
  PlanNode spectra(String label, String ngramLabel, RunSpec.Section options, Map<String, String> tags);

  PlanNode train(String label, String tokensLabel, ModelPoint point, RunSpec.Models models, Map<String, String> tags);

  PlanNode grok(String label, GrokPoint point, RunSpec.Grokking grokking, Map<String, String> tags);

  /** Evaluates the checkpoints of {@code checkpointsLabel} on the held-out split of {@code tokensLabel}. */
  PlanNode eval(String label, String checkpointsLabel, String tokensLabel, RunSpec.Section options, Map<String, String> tags);

  /**
   * A scaling-law fit over the evals of several model sizes (the planner adds one per sweep group when the sweep has
   * two or more presets); null when the catalog has none.
   */
  default PlanNode fit(String label, List<String> evalLabels, Map<String, String> tags) {
    return null;
  }

  /** One point of the model sweep. */
  record ModelPoint(String corpus, String tokenizer, String preset, String head, String optimizer, long seed, long steps,
      List<Long> checkpointSteps) {}

  /** One point of the grokking sweep. */
  record GrokPoint(String op, String loss, String optimizer, String precision, long seed, long steps, List<Long> checkpointSteps) {}

  /** Resolves a corpus entry's paths: globs relative to {@code base}; {@code builtin:NAME} is kept as is. */
  static List<String> resolveFiles(RunSpec.Corpus corpus, Path base) {
    List<String> out = new java.util.ArrayList<>();
    for (String p : corpus.paths()) {
      if (p.startsWith("builtin:")) {
        out.add(p);
        continue;
      }
      List<Path> matched = Globs.expand(base, p);
      if (matched.isEmpty()) {
        throw corpus.where().error("corpus '" + corpus.name() + "': no file matches '" + p + "' (relative to " + base + ")");
      }
      for (Path m : matched) out.add(m.toString());
    }
    return out;
  }
}
