package saturn.runs;

import java.util.List;
import java.util.Map;
import saturn.runs.plan.Stage;
import saturn.runs.plan.StageCatalog;
import saturn.runs.spec.RunSpec;
import saturn.runs.stages.Adapters;

/** The real stages of saturn, built from the stage modules' public APIs (see {@code saturn.runs.stages}). */
public final class SaturnStages implements StageCatalog {
  @Override
  public Stage ingest(String label, RunSpec.Corpus corpus, List<String> files, RunSpec.Tokenizer tokenizer, Map<String, String> tags) {
    return Adapters.ingest(label, corpus, files, tokenizer, tags);
  }

  @Override
  public Stage ngram(String label, List<String> tokensLabels, String baseLabel, RunSpec.Section options, Map<String, String> tags) {
    return Adapters.ngramCount(label, tokensLabels, baseLabel, options, tags);
  }

  @Override
  public Stage contextMatrix(String label, String countsLabel, RunSpec.Section options, Map<String, String> tags) {
    return Adapters.contextMatrix(label, countsLabel, options, tags);
  }

  @Override
  public Stage spectra(String label, String ngramLabel, RunSpec.Section options, Map<String, String> tags) {
    return Adapters.spectra(label, ngramLabel, options, tags);
  }

  @Override
  public Stage train(String label, String tokensLabel, ModelPoint point, RunSpec.Models models, Map<String, String> tags) {
    return Adapters.train(label, tokensLabel, point, models, tags);
  }

  @Override
  public Stage grok(String label, GrokPoint point, RunSpec.Grokking grokking, Map<String, String> tags) {
    return Adapters.grok(label, point, grokking, tags);
  }

  @Override
  public Stage eval(String label, String checkpointsLabel, String tokensLabel, RunSpec.Section options, Map<String, String> tags) {
    return Adapters.eval(label, checkpointsLabel, tokensLabel, options, tags);
  }

  @Override
  public Stage fit(String label, List<String> evalLabels, Map<String, String> tags) {
    return Adapters.fit(label, evalLabels, tags);
  }
}
