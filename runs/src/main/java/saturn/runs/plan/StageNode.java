package saturn.runs.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Workspace;
import saturn.stage.Stage;
import saturn.stage.StageContext;
import saturn.stage.StageSpec;

/**
 * The plan node of a saturn stage: the stage, and how its spec is made once the input artifacts are known. Every
 * stage runs through this one class, in a pipeline and behind every stand-alone command alike.
 *
 * @param <S> the stage's spec
 */
public final class StageNode<S extends StageSpec> implements PlanNode {
  /** Makes the spec from the input artifacts (their ids go into the spec; the stage opens them). */
  @FunctionalInterface
  public interface SpecFactory<S> {
    S specFor(List<Artifact> inputs) throws IOException;
  }

  /** Reads the figures the registry keeps from a finished artifact. */
  @FunctionalInterface
  public interface MetricsReader {
    List<Metric> read(Artifact artifact, Map<String, String> tags) throws IOException;
  }

  private final String label;
  private final Stage<S> stage;
  private final List<String> inputs;
  private final JsonNode config;
  private final Map<String, String> tags;
  private final SpecFactory<S> specs;
  private final Estimate estimate;
  private final String exclusiveGroup;
  private final MetricsReader metrics;
  private final Integer threads;

  private StageNode(Builder<S> b) {
    this.label = Objects.requireNonNull(b.label, "label");
    this.stage = Objects.requireNonNull(b.stage, "stage");
    this.inputs = List.copyOf(b.inputs);
    this.config = Objects.requireNonNull(b.config, "config");
    this.tags = Map.copyOf(b.tags);
    this.specs = Objects.requireNonNull(b.specs, "specs");
    this.estimate = b.estimate;
    this.exclusiveGroup = b.exclusiveGroup;
    this.metrics = b.metrics;
    this.threads = b.threads;
  }

  public static <S extends StageSpec> Builder<S> builder(String label, Stage<S> stage) {
    return new Builder<>(label, stage);
  }

  @Override public String label() { return label; }
  @Override public String kind() { return stage.name(); }
  @Override public List<String> inputs() { return inputs; }
  @Override public JsonNode config() { return config; }
  @Override public Map<String, String> tags() { return tags; }
  @Override public Estimate estimate() { return estimate; }
  @Override public String exclusiveGroup() { return exclusiveGroup; }
  @Override public Integer threads() { return threads; }

  /** The spec this node runs with these inputs. */
  public S spec(List<Artifact> in) throws IOException {
    return specs.specFor(in);
  }

  @Override
  public ArtifactSpec identify(Workspace workspace, List<Artifact> in) throws IOException {
    return stage.identify(workspace, spec(in));
  }

  @Override
  public Artifact run(List<Artifact> in, StageContext context) throws IOException {
    return stage.run(spec(in), context);
  }

  @Override
  public List<Metric> metrics(Artifact artifact) throws IOException {
    return metrics == null ? List.of() : metrics.read(artifact, tags);
  }

  /** Builder: label, stage and spec factory are required; the rest optional. */
  public static final class Builder<S extends StageSpec> {
    private final String label;
    private final Stage<S> stage;
    private List<String> inputs = List.of();
    private JsonNode config;
    private Map<String, String> tags = Map.of();
    private SpecFactory<S> specs;
    private Estimate estimate = new Estimate(256L << 20, 10);
    private String exclusiveGroup;
    private MetricsReader metrics;
    private Integer threads;

    private Builder(String label, Stage<S> stage) {
      this.label = label;
      this.stage = stage;
    }

    public Builder<S> setSpecs(SpecFactory<S> v) { specs = v; return this; }
    public Builder<S> setConfig(JsonNode v) { config = v; return this; }
    public Builder<S> optInputs(List<String> v) { inputs = v; return this; }
    public Builder<S> optTags(Map<String, String> v) { tags = v; return this; }
    public Builder<S> optEstimate(Estimate v) { estimate = v; return this; }
    public Builder<S> optExclusiveGroup(String v) { exclusiveGroup = v; return this; }
    public Builder<S> optMetrics(MetricsReader v) { metrics = v; return this; }
    public Builder<S> optThreads(Integer v) { threads = v; return this; }

    public StageNode<S> build() {
      return new StageNode<>(this);
    }
  }
}
