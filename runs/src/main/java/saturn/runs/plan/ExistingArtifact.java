package saturn.runs.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Json;
import saturn.artifact.Workspace;

/** A plan node that stands for an artifact made earlier (e.g. the n-grams a watch pass merges new corpora into). */
public record ExistingArtifact(String label, String artifactId, Map<String, String> tags) implements Stage {
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

  @Override
  public ArtifactSpec spec(List<Artifact> inputs) {
    return null;
  }

  @Override
  public Artifact run(Workspace workspace, List<Artifact> inputs, StageContext context) throws IOException {
    return workspace.get(artifactId);
  }

  @Override
  public Estimate estimate() {
    return new Estimate(1, 0);
  }
}
