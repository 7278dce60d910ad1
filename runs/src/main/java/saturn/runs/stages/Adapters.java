package saturn.runs.stages;

import java.util.List;
import java.util.Map;
import saturn.runs.plan.Stage;
import saturn.runs.spec.RunSpec;

/** Factories for the plan nodes that wrap each stage module's public API. */
public final class Adapters {
  private Adapters() {}

  public static Stage ingest(String label, RunSpec.Corpus corpus, List<String> files, RunSpec.Tokenizer tokenizer, Map<String, String> tags) {
    return new IngestAdapter(label, corpus, files, tokenizer, tags);
  }

  public static Stage ngramCount(String label, List<String> tokensLabels, String baseLabel, RunSpec.Section options, Map<String, String> tags) {
    return new NgramAdapters.Count(label, tokensLabels, baseLabel, options, tags);
  }

  public static Stage contextMatrix(String label, String countsLabel, RunSpec.Section options, Map<String, String> tags) {
    return new NgramAdapters.Matrix(label, countsLabel, options, tags);
  }

  public static Stage spectra(String label, String wLabel, RunSpec.Section options, Map<String, String> tags) {
    return new SpectraAdapter(label, wLabel, options, tags);
  }

  public static Stage train(String label, String tokensLabel, saturn.runs.plan.StageCatalog.ModelPoint p, RunSpec.Models models,
      Map<String, String> tags) {
    return new TrainAdapter(label, tokensLabel, p, models, tags);
  }

  public static Stage eval(String label, String checkpointsLabel, String tokensLabel, RunSpec.Section options, Map<String, String> tags) {
    return new EvalAdapter(label, checkpointsLabel, tokensLabel, options, tags);
  }

  public static Stage fit(String label, List<String> evalLabels, Map<String, String> tags) {
    return new FitAdapter(label, evalLabels, tags);
  }

  public static Stage grok(String label, saturn.runs.plan.StageCatalog.GrokPoint p, RunSpec.Grokking g, Map<String, String> tags) {
    return new GrokAdapter(label, p, g, tags);
  }
}
