package saturn.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * Everything that determines an artifact's content, and so its id: the stage, the on-disk format and its version,
 * the resolved configuration and the ids of the input artifacts. Two runs with equal specs produce the same artifact,
 * so the second one finds the first instead of recomputing.
 */
public record ArtifactSpec(String stage, String format, int formatVersion, JsonNode config, List<String> inputs) {

  public ArtifactSpec {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(format, "format");
    if (!stage.matches("[a-z][a-z0-9-]*")) throw new IllegalArgumentException("stage name must be lowercase: " + stage);
    config = config == null ? Json.tree(java.util.Map.of()) : config;
    inputs = List.copyOf(inputs == null ? List.of() : inputs);
  }

  /** Builds a spec from any config object (usually an immutable record): it is stored in canonical JSON form. */
  public static ArtifactSpec of(String stage, String format, int formatVersion, Object config, List<String> inputs) {
    return new ArtifactSpec(stage, format, formatVersion, Json.tree(config), inputs);
  }

  /** {@code <stage>-<first 16 hex digits of sha256(canonical spec)>}. */
  public String id() {
    String canonical = Json.canonical(
        java.util.Map.of("stage", stage, "format", format, "formatVersion", formatVersion,
            "config", config, "inputs", inputs));
    return stage + "-" + Hashing.sha256(canonical).substring(0, 16);
  }
}
