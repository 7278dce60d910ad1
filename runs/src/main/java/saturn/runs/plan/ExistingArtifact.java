package saturn.runs.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.stage.StageContext;

/** A plan node that stands for an artifact made earlier (e.g. the n-grams a watch pass merges new corpora into). */
public record ExistingArtifact(String label, String artifactId, Map<String, String> tags) implements PlanNode {
  @Override
  public String kind() {
    return "existing";
  }

  @Override
  public List<String> inputs() {
    return List.of();
  }

  @Override
  public JsonNode config() {
    return Json.tree(Map.of("artifact", artifactId));
  }

  /** The identity the artifact was published under, read back from its manifest. */
  @Override
  public ArtifactSpec identify(Workspace workspace, List<Artifact> inputs) throws IOException {
    saturn.artifact.Manifest m = workspace.byId(artifactId).manifest();
    return new ArtifactSpec(m.stage(), m.format(), m.formatVersion(), m.config(), m.inputs(), m.inputDigests());
  }

  @Override
  public Artifact run(List<Artifact> inputs, StageContext context) throws IOException {
    return context.workspace().byId(artifactId);
  }

  @Override
  public Estimate estimate() {
    return new Estimate(1, 0);
  }
}
