package saturn.artifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A directory of artifacts: {@code artifacts/<stage>/<id>/} for published ones, {@code tmp/} for those being written.
 * Published artifacts are never modified. Several saturn processes may share a workspace: each artifact is written in
 * its own temporary directory and published by one atomic rename under {@code workspace.lock}.
 */
public final class Workspace {
  public static final String ENV = "SATURN_WORKSPACE";
  public static final String DEFAULT_DIR = "saturn-work";
  private static final long LOCK_TIMEOUT_MILLIS = 60_000;

  private final Path root;

  private Workspace(Path root) {
    this.root = root;
  }

  /** Opens (creating if needed) the workspace at {@code root}. */
  public static Workspace open(Path root) throws IOException {
    Path r = root.toAbsolutePath().normalize();
    if (Files.exists(r) && !Files.isDirectory(r)) {
      throw new IOException(r + ": workspace path is a file; pass --workspace DIR with a directory");
    }
    Files.createDirectories(r.resolve("artifacts"));
    Files.createDirectories(r.resolve("tmp"));
    return new Workspace(r);
  }

  /** The explicit path if given, else {@code $SATURN_WORKSPACE}, else {@code ./saturn-work}. */
  public static Path defaultRoot(Path explicit) {
    if (explicit != null) return explicit;
    String env = System.getenv(ENV);
    return Path.of(env != null && !env.isBlank() ? env : DEFAULT_DIR);
  }

  public Path root() {
    return root;
  }

  /** Scratch space for spills and other temporary files that are not part of any artifact. */
  public Path scratch() throws IOException {
    return Files.createDirectories(root.resolve("tmp").resolve("scratch"));
  }

  /** The directory a published artifact with this id has (or would have). */
  public Path dirOf(String id) {
    int dash = id.lastIndexOf('-');
    if (dash <= 0) throw new IllegalArgumentException("not an artifact id: " + id);
    return root.resolve("artifacts").resolve(id.substring(0, dash)).resolve(id);
  }

  /** The published artifact for this spec, if one exists. */
  public Optional<Artifact> find(ArtifactSpec spec) throws IOException {
    Path dir = dirOf(spec.id());
    if (!Files.isRegularFile(dir.resolve(Manifest.FILE_NAME))) return Optional.empty();
    return Optional.of(new Artifact(dir, Manifest.read(dir.resolve(Manifest.FILE_NAME))));
  }

  /**
   * The published artifact with exactly this id; one line naming the id and how to list artifacts when there is none.
   * Reads one manifest (no listing of the workspace).
   */
  public Artifact byId(String id) throws IOException {
    Path dir;
    try {
      dir = dirOf(id);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + id + "' is not an artifact id (stage-<16 hex digits>); `saturn artifacts"
          + " list` shows the ids in " + root);
    }
    Path m = dir.resolve(Manifest.FILE_NAME);
    if (!Files.isRegularFile(m)) {
      throw new IllegalArgumentException("no artifact " + id + " in " + root + "; `saturn artifacts list` shows what is there");
    }
    return new Artifact(dir, Manifest.read(m));
  }

  /**
   * An artifact by full id or unique prefix (e.g. {@code tokens-3fa}). Fails with a message listing candidates when
   * the prefix is ambiguous and saying how to list artifacts when nothing matches.
   */
  public Artifact get(String idOrPrefix) throws IOException {
    List<Artifact> matches = new ArrayList<>();
    for (Artifact a : list(null)) {
      if (a.id().equals(idOrPrefix)) return a;
      if (a.id().startsWith(idOrPrefix)) matches.add(a);
    }
    if (matches.size() == 1) return matches.get(0);
    if (matches.isEmpty()) {
      throw new IllegalArgumentException("no artifact '" + idOrPrefix + "' in " + root + "; `saturn artifacts list` shows what is there");
    }
    throw new IllegalArgumentException("'" + idOrPrefix + "' matches " + matches.size() + " artifacts ("
        + matches.stream().map(Artifact::id).limit(5).toList() + "); give more of the id");
  }

  /** Published artifacts of one stage (all stages if null), oldest first. */
  public List<Artifact> list(String stage) throws IOException {
    List<Artifact> out = new ArrayList<>();
    Path artifacts = root.resolve("artifacts");
    try (Stream<Path> stages = Files.list(artifacts)) {
      for (Path s : (Iterable<Path>) stages.sorted()::iterator) {
        if (!Files.isDirectory(s) || (stage != null && !s.getFileName().toString().equals(stage))) continue;
        try (DirectoryStream<Path> ids = Files.newDirectoryStream(s)) {
          for (Path d : ids) {
            Path m = d.resolve(Manifest.FILE_NAME);
            if (Files.isRegularFile(m)) out.add(new Artifact(d, Manifest.read(m)));
          }
        }
      }
    }
    out.sort(Comparator.comparing((Artifact a) -> a.manifest().createdAt()).thenComparing(Artifact::id));
    return out;
  }

  /** The most recently created artifact of a stage. */
  public Optional<Artifact> newest(String stage) throws IOException {
    List<Artifact> all = list(stage);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** Starts writing a new artifact in a private temporary directory. Close it to abandon it. */
  public PendingArtifact begin(ArtifactSpec spec) throws IOException {
    removeStaleTemporaries();
    String name = spec.id() + "." + Long.toHexString(System.nanoTime()) + Long.toHexString(ProcessHandle.current().pid());
    Path tmp = root.resolve("tmp").resolve(name);
    FileChannel lockChannel = FileChannel.open(root.resolve("tmp").resolve(name + ".lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = lockChannel.lock();
    Files.createDirectories(tmp);
    return new PendingArtifact(this, spec, tmp, lockChannel, lock);
  }

  /** Returns the artifact for {@code spec}, building it with {@code build} only if it is not already published. */
  public Artifact obtain(ArtifactSpec spec, Builder build) throws IOException {
    Optional<Artifact> existing = find(spec);
    if (existing.isPresent()) return existing.get();
    try (PendingArtifact pending = begin(spec)) {
      build.build(pending);
      return pending.publish();
    }
  }

  /** Writes an artifact's files into {@link PendingArtifact#dir()}. */
  @FunctionalInterface
  public interface Builder {
    void build(PendingArtifact pending) throws IOException;
  }

  /** Moves a finished temporary directory into place; if another process won the race, keeps theirs. */
  Artifact publish(Path tmp, ArtifactSpec spec) throws IOException {
    Path target = dirOf(spec.id());
    try (WorkspaceLock ignored = WorkspaceLock.acquire(root.resolve("workspace.lock"), LOCK_TIMEOUT_MILLIS)) {
      Files.createDirectories(target.getParent());
      if (Files.isRegularFile(target.resolve(Manifest.FILE_NAME))) {
        deleteTree(tmp);
      } else {
        if (Files.exists(target)) deleteTree(target); // a directory without manifest is debris, never trusted
        Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(target.getParent());
      }
    }
    return new Artifact(target, Manifest.read(target.resolve(Manifest.FILE_NAME)));
  }

  /** Deletes temporary directories whose writer is gone (its lock file is no longer locked). */
  public void removeStaleTemporaries() throws IOException {
    Path tmpRoot = root.resolve("tmp");
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmpRoot, "*.lock")) {
      for (Path lockFile : entries) {
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
          FileLock l = ch.tryLock();
          if (l == null) continue;
          String name = lockFile.getFileName().toString();
          deleteTree(tmpRoot.resolve(name.substring(0, name.length() - ".lock".length())));
          l.release();
          Files.deleteIfExists(lockFile);
        } catch (OverlappingFileLockException inUseHere) {
          // held by a writer in this JVM
        } catch (java.nio.file.NoSuchFileException gone) {
          // removed by a concurrent clean-up
        }
      }
    }
  }

  static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException ignored) {
      // some file systems cannot sync directories; the rename is still atomic
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
