package saturn.eval;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.lmhead.Checkpoints;

/**
 * Where the checkpoints come from: a saturn checkpoint artifact ({@code step_<n>/} directories sealed by
 * {@code checkpoint.json}), a directory of Hugging Face GPT-NeoX checkpoints (one sub-directory per step, e.g.
 * {@code step143000/config.json + model.safetensors}, or the directory itself), or a hub id downloaded into the
 * workspace when online.
 *
 * @param model default model name for reports
 * @param checkpoints every candidate, sorted by step (bad ones are found later, by name)
 * @param inputIds artifact ids this source contributes to the eval artifact's inputs
 * @param description one line for messages
 * @param tokenizerSha256 the tokenizer the series was trained with, when the source records it (a checkpoint artifact's
 *     manifest does), else null
 */
public record CheckpointSource(String model, List<CheckpointRef> checkpoints, List<String> inputIds, String description,
    String tokenizerSha256) {
  private static final Pattern STEP = Pattern.compile("(?:^|[^0-9])([0-9]+)$");
  private static final Pattern HUB_ID = Pattern.compile("^[A-Za-z0-9][\\w.-]*/[\\w.-]+$");
  /** Stage name of lmhead's checkpoint artifacts (architecture.md). */
  public static final String CHECKPOINT_STAGE = "checkpoints";

  /**
   * Resolves {@code spec}: an existing directory, else an artifact id (or unique prefix) in the workspace, else a hub id
   * {@code owner/name} (revisions from {@code hubRevisions}, default {@code main}). Null: the newest checkpoint artifact.
   */
  public static CheckpointSource resolve(Workspace ws, String spec, List<String> hubRevisions) throws IOException {
    if (spec == null) {
      Artifact a = ws.newest(CHECKPOINT_STAGE).orElseThrow(() -> new IllegalArgumentException("no checkpoint artifact in "
          + ws.root() + "; train one (`saturn train`) or pass --checkpoints DIR with Hugging Face GPT-NeoX checkpoints"));
      return ofArtifact(a);
    }
    Path p = Path.of(spec);
    if (Files.isDirectory(p)) return ofDirectory(p);
    try {
      return ofArtifact(ws.get(spec));
    } catch (IllegalArgumentException notAnArtifact) {
      if (HUB_ID.matcher(spec).matches()) return ofHub(ws, spec, hubRevisions);
      throw new IllegalArgumentException("--checkpoints " + spec + ": not a directory, an artifact id in " + ws.root()
          + " or a hub id (owner/name)");
    }
  }

  /** A saturn checkpoint artifact. */
  public static CheckpointSource ofArtifact(Artifact a) throws IOException {
    List<CheckpointRef> refs = new ArrayList<>();
    Checkpoints.list(a.dir()).forEach((step, dir) -> refs.add(new CheckpointRef(dir.getFileName().toString(), step, dir, true)));
    if (refs.isEmpty()) {
      throw new IllegalArgumentException(a.id() + " holds no step_<n> checkpoint directories; pass a checkpoint artifact or a directory");
    }
    String sha = a.manifest().stats() == null ? null : a.manifest().stats().path("tokenizerSha256").asText(null);
    return new CheckpointSource(a.id(), refs, List.of(a.id()), "checkpoint artifact " + a.id(), sha);
  }

  /** A directory holding HF checkpoints (sub-directories, or itself one checkpoint). */
  public static CheckpointSource ofDirectory(Path dir) throws IOException {
    Path d = dir.toAbsolutePath().normalize();
    List<CheckpointRef> refs = new ArrayList<>();
    if (Files.isRegularFile(d.resolve(Checkpoints.CONFIG_FILE)) || Files.isRegularFile(d.resolve(Checkpoints.MODEL_FILE))) {
      refs.add(new CheckpointRef(d.getFileName().toString(), stepOf(d.getFileName().toString()), d,
          Files.isRegularFile(d.resolve(Checkpoints.SEAL_FILE))));
    } else {
      try (Stream<Path> s = Files.list(d)) {
        for (Path sub : (Iterable<Path>) s.filter(Files::isDirectory)::iterator) {
          String n = sub.getFileName().toString();
          if (n.startsWith(".")) continue;
          refs.add(new CheckpointRef(n, stepOf(n), sub, Files.isRegularFile(sub.resolve(Checkpoints.SEAL_FILE))));
        }
      }
    }
    if (refs.isEmpty()) {
      throw new IllegalArgumentException(d + ": no checkpoints (expected sub-directories with config.json and model.safetensors)");
    }
    refs.sort(Comparator.comparingLong(CheckpointRef::step).thenComparing(CheckpointRef::name));
    String model = refs.size() == 1 && refs.get(0).dir().equals(d) && d.getParent() != null ? d.getParent().getFileName().toString()
        : d.getFileName().toString();
    return new CheckpointSource(model, refs, List.of(), "directory " + d, null);
  }

  /** The trailing number of a directory name ({@code step_1000}, {@code step1000}, {@code 1000}), else -1. */
  public static long stepOf(String name) {
    Matcher m = STEP.matcher(name);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /**
   * Downloads {@code config.json} and {@code model.safetensors} of each revision into
   * {@code <workspace>/tmp/hub/<owner>/<name>/<revision>/} (kept as a cache) and reads them as a directory. The endpoint is
   * {@code -Dsaturn.hf.endpoint}, else {@code $HF_ENDPOINT}, else https://huggingface.co.
   * Offline, fails with one line saying to download the files and pass a directory.
   */
  public static CheckpointSource ofHub(Workspace ws, String id, List<String> revisions) throws IOException {
    List<String> revs = revisions == null || revisions.isEmpty() ? List.of("main") : revisions;
    Path root = ws.root().resolve("tmp").resolve("hub").resolve(id);
    String base = Optional.ofNullable(System.getProperty("saturn.hf.endpoint"))
        .or(() -> Optional.ofNullable(System.getenv("HF_ENDPOINT"))).orElse("https://huggingface.co");
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(20)).build();
    for (String rev : revs) {
      Path dir = root.resolve(rev);
      Files.createDirectories(dir);
      for (String f : List.of(Checkpoints.CONFIG_FILE, Checkpoints.MODEL_FILE)) {
        Path target = dir.resolve(f);
        if (Files.isRegularFile(target)) continue;
        URI uri = URI.create(base + "/" + id + "/resolve/" + rev + "/" + f);
        Path part = dir.resolve(f + ".part");
        HttpResponse<InputStream> r;
        try {
          r = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
          throw new IOException("cannot reach " + base + " to fetch " + id + " (" + e.getClass().getSimpleName()
              + "); offline? download config.json and model.safetensors per revision and pass --checkpoints DIR");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while fetching " + id);
        }
        if (r.statusCode() != 200) {
          r.body().close();
          throw new IOException("hub " + id + " revision " + rev + ": GET " + f + " answered HTTP " + r.statusCode()
              + (r.statusCode() == 404 ? " (no such file: the revision may only have pytorch_model.bin; convert it to safetensors)" : ""));
        }
        try (InputStream in = r.body()) {
          Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    CheckpointSource s = ofDirectory(revs.size() == 1 ? root.resolve(revs.get(0)) : root);
    if (revs.size() > 1) {
      List<CheckpointRef> keep = new ArrayList<>();
      for (CheckpointRef r : s.checkpoints()) if (revs.contains(r.name())) keep.add(r);
      s = new CheckpointSource(s.model(), keep, List.of(), s.description(), null);
    }
    return new CheckpointSource(id.substring(id.indexOf('/') + 1), s.checkpoints(), List.of(), "hub " + id + " " + revs, null);
  }
}
