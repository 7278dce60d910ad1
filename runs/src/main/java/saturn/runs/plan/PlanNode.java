package saturn.runs.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Workspace;
import saturn.stage.StageContext;

/**
 * One node of a pipeline: a stage with its spec, still waiting for its input artifacts (made by the nodes named in
 * {@link #inputs}). The runner asks {@link #identify} first and skips the node when the workspace already holds that
 * artifact: the artifact id is the only cache key. {@link StageNode} is the node of every saturn stage.
 */
public interface PlanNode {
  /** Unique within a plan, e.g. {@code ingest/europarl/gpt2}. */
  String label();

  /** The stage's name ({@code tokens}, {@code ngram-counts}, {@code spectrum}, ...), the registry's kind. */
  String kind();

  /** Labels of the nodes whose artifacts are this node's inputs, in order; each must come earlier in the plan. */
  List<String> inputs();

  /** The options as the user gave them (what the registry stores and {@code saturn runs diff} compares). */
  JsonNode config();

  /** Coordinates for grouping in reports: corpus, tokenizer, preset, head, optimizer, seed ... */
  Map<String, String> tags();

  /** The identity of the artifact this node makes from these inputs (opens them; cheap). */
  ArtifactSpec identify(Workspace workspace, List<Artifact> inputs) throws IOException;

  /** Makes (or finds) the artifact; must be the one {@link #identify} names. */
  Artifact run(List<Artifact> inputs, StageContext context) throws Exception;

  /** Rough peak memory and time, used for scheduling within the memory budget and for {@code --dry-run}. */
  default Estimate estimate() {
    return new Estimate(256L << 20, 10);
  }

  /**
   * Nodes naming the same group never run at the same time (e.g. DJL training: one gradient collector per JVM);
   * null for none.
   */
  default String exclusiveGroup() {
    return null;
  }

  /** Figures to record in the registry for reports and diffs, read from the finished artifact. */
  default List<Metric> metrics(Artifact artifact) throws IOException {
    return List.of();
  }

  /** Threads the user asked this node to use ({@code threads:} in its spec section), or null for the runner's share. */
  default Integer threads() {
    return null;
  }

  /**
   * Peak memory in bytes and seconds of work on one core, both rough.
   *
   * @param memoryFixed the memory is the user's {@code memory:} for this node, granted as is or refused up front
   */
  record Estimate(long memoryBytes, double seconds, boolean memoryFixed) {
    public Estimate(long memoryBytes, double seconds) {
      this(memoryBytes, seconds, false);
    }
  }
}
