package saturn.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that determines an artifact's content, and so its id: the stage, the on-disk format and its version,
 * the resolved configuration, and the input artifacts by id and content digest ({@link Manifest#contentDigest()}).
 * Two runs with equal specs produce the same artifact, so the second one finds the first instead of recomputing; an
 * input rebuilt with other content (same id, other bytes) gives a new id downstream.
 *
 * <p>Inputs enter only as opened {@link Artifact}s: a stage cannot record an input it did not read.
 *
 * @param inputs ids of the input artifacts, in the order the stage reads them
 * @param inputDigests content digest of each input, by id
 */
public record ArtifactSpec(String stage, String format, int formatVersion, JsonNode config, List<String> inputs,
    Map<String, String> inputDigests) {

  public ArtifactSpec {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(format, "format");
    if (!stage.matches("[a-z][a-z0-9-]*")) throw new IllegalArgumentException("stage name must be lowercase: " + stage);
    config = config == null ? Json.tree(Map.of()) : config;
    inputs = List.copyOf(inputs == null ? List.of() : inputs);
    inputDigests = Map.copyOf(inputDigests == null ? Map.of() : inputDigests);
    for (String id : inputs) {
      if (!inputDigests.containsKey(id)) throw new IllegalArgumentException("input " + id + " has no content digest");
    }
  }

  /** A spec from any config object (usually an immutable record, stored in canonical JSON) and the opened inputs. */
  public static ArtifactSpec of(String stage, String format, int formatVersion, Object config, List<Artifact> inputs) {
    List<String> ids = new ArrayList<>();
    Map<String, String> digests = new LinkedHashMap<>();
    for (Artifact a : inputs) {
      if (digests.put(a.id(), a.manifest().contentDigest()) != null) {
        throw new IllegalArgumentException(a.id() + " is given twice as an input of " + stage
            + "; each input artifact may be read once");
      }
      ids.add(a.id());
    }
    return new ArtifactSpec(stage, format, formatVersion, Json.tree(config), ids, digests);
  }

  /** {@code <stage>-<first 16 hex digits of sha256(canonical spec)>}. */
  public String id() {
    Map<String, Object> canonical = new LinkedHashMap<>();
    canonical.put("stage", stage);
    canonical.put("format", format);
    canonical.put("formatVersion", formatVersion);
    canonical.put("config", config);
    canonical.put("inputs", inputs);
    canonical.put("inputDigests", inputDigests);
    return stage + "-" + Hashing.sha256(Json.canonical(canonical)).substring(0, 16);
  }
}
