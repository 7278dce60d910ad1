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
}
