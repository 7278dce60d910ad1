package saturn.runs.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import saturn.artifact.Artifact;
import saturn.artifact.Hashing;
import saturn.artifact.Json;
import saturn.artifact.Workspace;
import saturn.artifact.WorkspaceLock;
import saturn.runs.Pipeline;
import saturn.runs.plan.Plan;
import saturn.runs.plan.Planner;
import saturn.runs.plan.StageCatalog;
import saturn.runs.registry.Registry;
import saturn.runs.spec.RunSpec;

/**
 * One pass of {@code saturn watch}: every top-level file or folder of the watched directory is a corpus; corpora are
 * compared by content hash with what the last pass's n-gram artifacts cover. New corpora are ingested and merged into
 * the previous n-grams (per tokenizer), a changed or removed corpus makes that tokenizer's n-grams be counted again,
 * and everything downstream follows. Passes never overlap: a lock file per watched directory.
 */
public final class Watcher {
  private final Workspace workspace;
  private final StageCatalog catalog;
  private final PrintStream out;

  public Watcher(Workspace workspace, StageCatalog catalog, PrintStream out) {
    this.workspace = workspace;
    this.catalog = catalog;
    this.out = out;
  }

  /** What a pass did. */
  public record PassResult(long passId, String status, Map<String, String> corpora, List<String> changes, Long runId) {}

  /** Runs one pass; returns null (and prints why) if another pass on the same directory holds the lock. */
  public PassResult pass(Path dir, RunSpec spec, Pipeline.Settings settings) throws IOException {
    Path d = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(d)) throw new java.nio.file.NoSuchFileException(d + ": not a directory; give the folder new corpora arrive in");
    Path lockFile = workspace.root().resolve("watch-" + Hashing.sha256(d.toString()).substring(0, 12) + ".lock");
    try (WorkspaceLock lock = WorkspaceLock.tryAcquire(lockFile)) {
      if (lock == null) {
        out.println("watch: another pass on " + d + " is running (lock " + lockFile + "); skipping this one");
        return null;
      }
      return passLocked(d, spec, settings);
    }
  }

  private PassResult passLocked(Path dir, RunSpec spec, Pipeline.Settings settings) throws IOException {
    long passId;
    Map<String, List<Path>> corpora;
    Map<String, String> hashes;
    State previous;
    try (Registry registry = Registry.open(workspace)) {
      passId = registry.startPass(dir.toString(), spec.file().toAbsolutePath().toString());
      previous = lastState(registry, dir);
      corpora = scan(dir);
      hashes = hash(registry, dir, corpora);
    }
    List<String> changes = new ArrayList<>();
    for (var e : hashes.entrySet()) {
      String was = previous.corpora.get(e.getKey());
      if (was == null) changes.add("new " + e.getKey());
      else if (!was.equals(e.getValue())) changes.add("changed " + e.getKey());
    }
    for (String name : previous.corpora.keySet()) if (!hashes.containsKey(name)) changes.add("removed " + name);
    out.printf(Locale.ROOT, "watch pass %d on %s: %d corpora, %s%n", passId, dir, hashes.size(),
        changes.isEmpty() ? "nothing new" : String.join(", ", changes));

    if (hashes.isEmpty()) {
      try (Registry registry = Registry.open(workspace)) {
        registry.finishPass(passId, "done", previous.toJson(), changes, null);
      }
      return new PassResult(passId, "done", hashes, changes, null);
    }

    RunSpec watched = specFor(spec, corpora, hashes);
    // Per tokenizer: merge new corpora into the previous n-grams when nothing they already cover has changed.
    Map<String, Planner.NgramBase> bases = new LinkedHashMap<>();
    if (spec.ngram() != null) {
      for (RunSpec.Tokenizer t : spec.tokenizers()) {
        State.Ngram prev = previous.ngrams.get(t.name());
        if (prev == null) continue;
        boolean coveredUnchanged = prev.corpora.entrySet().stream().allMatch(e -> e.getValue().equals(hashes.get(e.getKey())));
        if (coveredUnchanged && existsArtifact(prev.artifact)) bases.put(t.name(), new Planner.NgramBase(prev.artifact, prev.corpora.keySet()));
      }
    }
    Plan plan = Planner.plan(watched, catalog, new Planner.Options(bases));
    Pipeline.Outcome o = new Pipeline(workspace, catalog, out).run(watched, plan,
        new Pipeline.Settings(settings.jobs(), settings.memoryBytes(), settings.report(), "watch"));

    State next = new State(new TreeMap<>(hashes), new TreeMap<>(previous.ngrams));
    if (spec.ngram() != null) {
      for (RunSpec.Tokenizer t : spec.tokenizers()) {
        Artifact a = o.result().artifact("ngram/all/" + t.name());
        if (a != null) {
          Map<String, String> covered = new TreeMap<>(hashes);
          next.ngrams.put(t.name(), new State.Ngram(a.id(), covered));
        }
      }
    }
    String status = o.result().ok() ? "done" : "failed";
    try (Registry registry = Registry.open(workspace)) {
      registry.finishPass(passId, status, next.toJson(), changes, o.runId());
    }
    return new PassResult(passId, status, hashes, changes, o.runId());
  }

  private boolean existsArtifact(String id) {
    try {
      return Files.isRegularFile(workspace.dirOf(id).resolve("manifest.json"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The spec with its corpora replaced by the watched ones (ingest options from the spec's first corpus, if any). */
  static RunSpec specFor(RunSpec spec, Map<String, List<Path>> corpora, Map<String, String> hashes) {
    JsonNode ingest = spec.corpora().isEmpty() ? JsonNodeFactory.instance.objectNode() : spec.corpora().get(0).ingest();
    RunSpec.Where where = spec.corpora().isEmpty() ? new RunSpec.Where(spec.file().getFileName().toString(), 1) : spec.corpora().get(0).where();
    List<RunSpec.Corpus> cs = new ArrayList<>();
    for (var e : corpora.entrySet()) {
      cs.add(new RunSpec.Corpus(e.getKey(), e.getValue().stream().map(Path::toString).toList(), ingest, where));
    }
    RunSpec.Section ngram = spec.ngram();
    if (ngram != null) {
      ObjectNode o = ngram.options().deepCopy();
      o.put("per", "all");
      ngram = new RunSpec.Section(o, ngram.where());
    }
    RunSpec.Models models = spec.models();
    if (models != null) {
      models = new RunSpec.Models(models.presets(), models.heads(), models.optimizers(), models.seeds(), models.steps(),
          models.checkpoints(), List.copyOf(corpora.keySet()), models.tokenizers(), models.options(), models.where());
    }
    return new RunSpec(spec.name(), spec.description(), spec.file(), Hashing.sha256(spec.sha256() + Json.canonical(hashes)), spec.text(),
        spec.execution(), cs, spec.tokenizers(), ngram, spec.spectra(), models, spec.grokking(), spec.eval(), spec.report());
  }

  /** Top-level entries of the watched directory: a file is a corpus, a folder is a corpus of the files under it. */
  static Map<String, List<Path>> scan(Path dir) throws IOException {
    Map<String, List<Path>> out = new TreeMap<>();
    try (Stream<Path> top = Files.list(dir)) {
      for (Path p : (Iterable<Path>) top.sorted()::iterator) {
        String fn = p.getFileName().toString();
        if (fn.startsWith(".") || fn.endsWith(".tmp") || fn.endsWith(".part") || fn.endsWith("~")) continue; // still arriving
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(p)) {
          files.add(p);
        } else if (Files.isDirectory(p)) {
          try (Stream<Path> walk = Files.walk(p)) {
            walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().forEach(files::add);
          }
        }
        if (files.isEmpty()) continue;
        String name = corpusName(fn);
        if (out.containsKey(name)) name = fn.replaceAll("[^A-Za-z0-9._-]", "_");
        out.put(name, files);
      }
    }
    return out;
  }

  static String corpusName(String fileName) {
    String n = fileName;
    for (String ext : List.of(".gz", ".zst", ".bz2", ".xz")) if (n.endsWith(ext)) n = n.substring(0, n.length() - ext.length());
    for (String ext : List.of(".txt", ".jsonl", ".json", ".arrow", ".parquet", ".md", ".text")) if (n.endsWith(ext)) n = n.substring(0, n.length() - ext.length());
    n = n.replaceAll("[^A-Za-z0-9._-]", "_");
    if (n.isEmpty() || !Character.isLetterOrDigit(n.charAt(0))) n = "c" + n;
    return n;
  }

  /** Content hash per corpus; files whose size and mtime are unchanged since the last pass are not read again. */
  private static Map<String, String> hash(Registry registry, Path dir, Map<String, List<Path>> corpora) throws IOException {
    Map<String, Registry.WatchedFile> known = registry.watchedFiles(dir.toString());
    List<Registry.WatchedFile> now = new ArrayList<>();
    Map<String, String> out = new TreeMap<>();
    for (var e : corpora.entrySet()) {
      StringBuilder b = new StringBuilder();
      for (Path f : e.getValue()) {
        String rel = dir.relativize(f).toString().replace('\\', '/');
        long size = Files.size(f);
        long mtime = Files.getLastModifiedTime(f).toMillis();
        Registry.WatchedFile k = known.get(rel);
        String sha = k != null && k.size() == size && k.mtime() == mtime ? k.sha256() : Hashing.sha256(f);
        now.add(new Registry.WatchedFile(rel, size, mtime, sha));
        b.append(rel).append('\t').append(sha).append('\n');
      }
      out.put(e.getKey(), Hashing.sha256(b.toString()));
    }
    registry.rememberFiles(dir.toString(), now);
    return out;
  }

  private static State lastState(Registry registry, Path dir) throws IOException {
    List<Registry.PassRow> passes = registry.passes(dir.toString());
    for (int i = passes.size() - 1; i >= 0; i--) {
      Registry.PassRow p = passes.get(i);
      if (p.corpora() != null && !p.status().equals("running")) return State.fromJson(Json.MAPPER.readTree(p.corpora()));
    }
    return new State(new TreeMap<>(), new TreeMap<>());
  }

  /** What a pass leaves for the next: corpus hashes, and per tokenizer the n-gram artifact and the corpora it covers. */
  record State(Map<String, String> corpora, Map<String, Ngram> ngrams) {
    record Ngram(String artifact, Map<String, String> corpora) {}

    JsonNode toJson() {
      return Json.tree(Map.of("corpora", corpora, "ngrams", ngrams));
    }

    static State fromJson(JsonNode n) {
      Map<String, String> c = new TreeMap<>();
      n.path("corpora").fields().forEachRemaining(e -> c.put(e.getKey(), e.getValue().asText()));
      Map<String, Ngram> g = new TreeMap<>();
      n.path("ngrams").fields().forEachRemaining(e -> {
        Map<String, String> cov = new TreeMap<>();
        e.getValue().path("corpora").fields().forEachRemaining(x -> cov.put(x.getKey(), x.getValue().asText()));
        g.put(e.getKey(), new Ngram(e.getValue().path("artifact").asText(), cov));
      });
      return new State(c, g);
    }
  }
}
