package saturn.runs;

import java.util.List;
import java.util.Map;
import saturn.runs.plan.PlanNode;
import saturn.runs.plan.StageCatalog;
import saturn.runs.spec.RunSpec;
import saturn.runs.stages.StageNodes;

/** The real stages of saturn, built from the stage modules' public APIs (see {@code saturn.runs.stages}). */
public final class SaturnStages implements StageCatalog {
  @Override
  public PlanNode ingest(String label, RunSpec.Corpus corpus, List<String> files, RunSpec.Tokenizer tokenizer, Map<String, String> tags) {
    return StageNodes.ingest(label, corpus, files, tokenizer, tags);
  }

  @Override
  public PlanNode ngram(String label, List<String> tokensLabels, String baseLabel, RunSpec.Section options, Map<String, String> tags) {
    return StageNodes.ngramCounts(label, tokensLabels, baseLabel, options, tags);
  }

  @Override
  public PlanNode contextMatrix(String label, String countsLabel, RunSpec.Section options, Map<String, String> tags) {
    return StageNodes.contextMatrix(label, countsLabel, options, tags);
  }

  @Override
  public PlanNode spectra(String label, String ngramLabel, RunSpec.Section options, Map<String, String> tags) {
    return StageNodes.spectra(label, ngramLabel, options, tags);
  }

  @Override
  public PlanNode train(String label, String tokensLabel, ModelPoint point, RunSpec.Models models, Map<String, String> tags) {
    return StageNodes.train(label, tokensLabel, point, models, tags);
  }

  @Override
  public PlanNode grok(String label, GrokPoint point, RunSpec.Grokking grokking, Map<String, String> tags) {
    return StageNodes.grok(label, point, grokking, tags);
  }

  @Override
  public PlanNode eval(String label, String checkpointsLabel, String tokensLabel, RunSpec.Section options, Map<String, String> tags) {
    return StageNodes.eval(label, checkpointsLabel, tokensLabel, options, tags);
  }

  @Override
  public PlanNode fit(String label, List<String> evalLabels, Map<String, String> tags) {
    return StageNodes.fit(label, evalLabels, tags);
  }
}
