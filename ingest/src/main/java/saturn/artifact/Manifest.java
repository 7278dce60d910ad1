package saturn.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code manifest.json} says of an artifact: what made it (stage, format, config, seeds, inputs, provenance),
 * what it holds (files with size and sha256) and summary statistics. Written last, so its presence means the
 * artifact is complete.
 *
 * @param id the artifact id, {@code <stage>-<16 hex>}; a hash of (stage, format, format version, config, inputs)
 * @param inputs ids of the artifacts this one was computed from
 * @param inputDigests the content digest ({@link #contentDigest()}) of each input when it was read, by id
 * @param config the fully resolved configuration of the stage
 * @param seeds every seed the stage drew randomness from
 * @param stats summary figures (documents, tokens, distinct n-grams, ...)
 * @param provenance versions of saturn, the JVM, the OS and native libraries, the machine, timings
 */
public record Manifest(
    String id,
    String stage,
    String format,
    int formatVersion,
    String createdAt,
    List<String> inputs,
    Map<String, String> inputDigests,
    JsonNode config,
    Map<String, Long> seeds,
    List<FileEntry> files,
    JsonNode stats,
    Map<String, Object> provenance) {

  public static final String FILE_NAME = "manifest.json";

  /** One file of the artifact, relative to its directory. */
  public record FileEntry(String path, long size, String sha256) {}

  public static Manifest read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) throw new CorruptArtifactException(file, "manifest is missing");
    try {
      Manifest m = Json.MAPPER.readValue(file.toFile(), Manifest.class);
      if (m.id() == null || m.stage() == null || m.files() == null) {
        throw new CorruptArtifactException(file, "manifest lacks id, stage or files");
      }
      return m;
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new CorruptArtifactException(file, "manifest is not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
  }

  /**
   * A digest of what this artifact holds: sha256 of its file list (path, size, sha256 of each), read from the manifest
   * alone. Stages record it for each input, so provenance names the exact bytes a result was computed from.
   */
  public String contentDigest() {
    return Hashing.sha256(Json.canonical(files));
  }

  public FileEntry file(String path) {
    for (FileEntry f : files) if (f.path().equals(path)) return f;
    return null;
  }
}
