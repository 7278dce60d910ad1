package saturn.runs.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Workspace;

/**
 * One node of a pipeline: a pure function from its input artifacts and its configuration to one artifact. The runner
 * asks {@link #spec} first and skips the stage when the workspace already holds that artifact.
 */
public interface Stage {
  /** Unique within a plan, e.g. {@code ingest europarl/gpt2}. */
  String label();

  /** The kind of work ({@code ingest}, {@code ngram}, {@code spectra}, {@code train}, {@code grok}, {@code eval}). */
  String kind();

  /** Labels of the stages whose artifacts are this stage's inputs, in order; each must come earlier in the plan. */
  List<String> inputs();

  /** The resolved configuration (what the registry stores and {@code saturn runs diff} compares). */
  JsonNode config();

  /** Coordinates for grouping in reports: corpus, tokenizer, preset, head, optimizer, seed ... */
  Map<String, String> tags();

  /** The artifact this stage makes from these inputs, or null if only running it can tell. */
  ArtifactSpec spec(List<Artifact> inputs) throws IOException;

  /** Makes (or finds) the artifact. Must be a pure function of the inputs and {@link #config()}. */
  Artifact run(Workspace workspace, List<Artifact> inputs, StageContext context) throws Exception;

  /** Rough peak memory and time, used for scheduling within the memory budget and for {@code --dry-run}. */
  default Estimate estimate() {
    return new Estimate(256L << 20, 10);
  }

  /**
   * Stages naming the same group never run at the same time (e.g. DJL training: one gradient collector per JVM);
   * null for none.
   */
  default String exclusiveGroup() {
    return null;
  }

  /** Figures to record in the registry for reports and diffs, read from the finished artifact. */
  default List<Metric> metrics(Artifact artifact) throws IOException {
    return List.of();
  }

  /** Peak memory in bytes and seconds of work on one core, both rough. */
  record Estimate(long memoryBytes, double seconds) {}
}
