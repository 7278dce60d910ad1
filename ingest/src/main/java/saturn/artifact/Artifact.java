package saturn.artifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A published, immutable artifact: its directory and its manifest. */
public record Artifact(Path dir, Manifest manifest) {

  public String id() {
    return manifest.id();
  }

  public String stage() {
    return manifest.stage();
  }

  /** A file of this artifact; it must be listed in the manifest. */
  public Path file(String name) throws CorruptArtifactException {
    if (manifest.file(name) == null) {
      throw new CorruptArtifactException(dir.resolve(name), "not listed in the manifest of " + id());
    }
    return dir.resolve(name);
  }

  /** Checks one file's size and sha256 against the manifest before a reader trusts it. */
  public Path verifiedFile(String name) throws IOException {
    Path p = file(name);
    String problem = check(manifest.file(name));
    if (problem != null) throw new CorruptArtifactException(p, problem + "; run `saturn artifacts verify " + id() + "`");
    return p;
  }

  /**
   * Recomputes every checksum. Returns one line per problem (missing, resized, changed, unexpected files), empty when
   * the artifact is intact.
   */
  public List<String> verify() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Manifest.FileEntry f : manifest.files()) {
      String p = check(f);
      if (p != null) problems.add(f.path() + ": " + p);
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        if (!rel.equals(Manifest.FILE_NAME) && manifest.file(rel) == null) {
          problems.add(rel + ": not listed in the manifest");
        }
      }
    }
    return problems;
  }

  private String check(Manifest.FileEntry f) throws IOException {
    Path p = dir.resolve(f.path());
    if (!Files.isRegularFile(p)) return "missing";
    long size = Files.size(p);
    if (size != f.size()) return "size " + size + " bytes, manifest says " + f.size();
    String sha = Hashing.sha256(p);
    if (!sha.equals(f.sha256())) return "sha256 " + sha.substring(0, 12) + "…, manifest says " + f.sha256().substring(0, 12) + "…";
    return null;
  }
}
