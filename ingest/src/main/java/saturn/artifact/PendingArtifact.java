package saturn.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An artifact being written. A stage writes its files into {@link #dir()}, records seeds and statistics, and calls
 * {@link #publish()}: checksums are computed, files synced, {@code manifest.json} written last and the directory
 * renamed into place atomically. Closing without publishing deletes everything written.
 */
public final class PendingArtifact implements AutoCloseable {
  private final Workspace workspace;
  private final ArtifactSpec spec;
  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Map<String, Long> seeds = new LinkedHashMap<>();
  private final Map<String, Object> extraProvenance = new LinkedHashMap<>();
  private final long startNanos = System.nanoTime();
  private JsonNode stats = Json.tree(Map.of());
  private boolean done;

  PendingArtifact(Workspace workspace, ArtifactSpec spec, Path dir, FileChannel lockChannel, FileLock lock) {
    this.workspace = workspace;
    this.spec = spec;
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  public ArtifactSpec spec() {
    return spec;
  }

  public String id() {
    return spec.id();
  }

  public Workspace workspace() {
    return workspace;
  }

  /** Where the stage writes its files. */
  public Path dir() {
    return dir;
  }

  public PendingArtifact seed(String name, long value) {
    seeds.put(name, value);
    return this;
  }

  /** Summary statistics (any record or map); they land in the manifest. */
  public PendingArtifact stats(Object value) {
    stats = Json.tree(value);
    return this;
  }

  /** Extra provenance, e.g. the native engine or device a stage ran on. */
  public PendingArtifact provenance(String key, Object value) {
    extraProvenance.put(key, value);
    return this;
  }

  /** Publishes the artifact; returns it (or an identical one another process published first). */
  public Artifact publish() throws IOException {
    if (done) throw new IllegalStateException("already published or abandoned: " + dir);
    List<Manifest.FileEntry> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        if (rel.equals(Manifest.FILE_NAME)) continue;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
        files.add(new Manifest.FileEntry(rel, Files.size(p), Hashing.sha256(p)));
      }
    }
    Map<String, Object> prov = Provenance.current();
    prov.putAll(extraProvenance);
    prov.put("wallSeconds", (System.nanoTime() - startNanos) / 1e9);
    Manifest m = new Manifest(spec.id(), spec.stage(), spec.format(), spec.formatVersion(), Instant.now().toString(),
        spec.inputs(), spec.inputDigests(), spec.config(), Map.copyOf(seeds), files, stats, prov);
    Path manifest = dir.resolve(Manifest.FILE_NAME);
    Files.writeString(manifest, Json.pretty(m));
    try (FileChannel ch = FileChannel.open(manifest, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Workspace.fsyncDirectory(dir);
    Artifact a = workspace.publish(dir, spec);
    done = true;
    return a;
  }

  @Override
  public void close() throws IOException {
    try {
      if (!done) Workspace.deleteTree(dir);
      done = true;
    } finally {
      lock.release();
      lockChannel.close();
      Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + ".lock"));
    }
  }
}
