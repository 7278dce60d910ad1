package saturn.lmhead;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import saturn.artifact.CorruptArtifactException;
import saturn.artifact.Hashing;
import saturn.artifact.Json;

/**
 * The checkpoint layout: {@code step_<n>/} holding {@code model.safetensors} (HF GPT-NeoX names),
 * {@code config.json} (HF keys + saturn's head), {@code optimizer.safetensors} (moments),
 * {@code trainer_state.json} (step, seeds, data position, optimizer step) and, written last,
 * {@code checkpoint.json} with the sha256 of each file: a checkpoint without it is incomplete, one whose files do not
 * match it is damaged.
 */
public final class Checkpoints {
  public static final String MODEL_FILE = "model.safetensors";
  public static final String CONFIG_FILE = "config.json";
  public static final String OPTIMIZER_FILE = "optimizer.safetensors";
  public static final String STATE_FILE = "trainer_state.json";
  public static final String SEAL_FILE = "checkpoint.json";
  public static final String PREFIX = "step_";

  private Checkpoints() {}

  /**
   * Pythia's schedule: step 0, the powers of two up to {@code logUntil} (512), then every {@code every} steps; the
   * final step is always saved by the trainer.
   */
  public static boolean isCheckpointStep(long step, int logUntil, int every) {
    if (step == 0) return true;
    if (step <= logUntil && Long.bitCount(step) == 1) return true;
    return every > 0 && step % every == 0;
  }

  public static Path dirOf(Path root, long step) {
    return root.resolve(PREFIX + step);
  }

  /** Writes the seal: sha256 of every file in the step directory. Call after all other files are written. */
  public static void seal(Path stepDir) throws IOException {
    ObjectNode files = Json.MAPPER.createObjectNode();
    try (Stream<Path> s = Files.list(stepDir)) {
      for (Path p : (Iterable<Path>) s.sorted()::iterator) {
        String n = p.getFileName().toString();
        if (n.equals(SEAL_FILE) || !Files.isRegularFile(p)) continue;
        files.put(n, Hashing.sha256(p));
      }
    }
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.set("sha256", files);
    Path tmp = stepDir.resolve(SEAL_FILE + ".tmp");
    Files.writeString(tmp, Json.pretty(o));
    Files.move(tmp, stepDir.resolve(SEAL_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Checks a step directory against its seal; throws CorruptArtifactException naming the bad file. */
  public static void verify(Path stepDir) throws IOException {
    Path seal = stepDir.resolve(SEAL_FILE);
    if (!Files.isRegularFile(seal)) throw new CorruptArtifactException(seal, "missing: the checkpoint is incomplete");
    JsonNode files = Json.MAPPER.readTree(Files.readString(seal)).path("sha256");
    if (!files.isObject() || files.size() == 0) throw new CorruptArtifactException(seal, "lists no files");
    for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Path f = stepDir.resolve(e.getKey());
      if (!Files.isRegularFile(f)) throw new CorruptArtifactException(f, "missing from the checkpoint");
      if (!Hashing.sha256(f).equals(e.getValue().asText())) {
        throw new CorruptArtifactException(f, "sha256 does not match " + SEAL_FILE + " (file damaged); resume from an earlier checkpoint");
      }
    }
  }

  /** Step directories under {@code root}, by step. */
  public static TreeMap<Long, Path> list(Path root) throws IOException {
    TreeMap<Long, Path> out = new TreeMap<>();
    if (!Files.isDirectory(root)) return out;
    try (Stream<Path> s = Files.list(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String n = p.getFileName().toString();
        if (!Files.isDirectory(p) || !n.startsWith(PREFIX)) continue;
        try {
          out.put(Long.parseLong(n.substring(PREFIX.length())), p);
        } catch (NumberFormatException ignored) {
          // not a checkpoint directory
        }
      }
    }
    return out;
  }

  /**
   * The newest checkpoint that verifies; damaged or incomplete newer ones are reported in {@code skipped} (one line
   * each) and left in place.
   */
  public static Optional<Path> latestIntact(Path root, List<String> skipped) throws IOException {
    List<Long> steps = new ArrayList<>(list(root).descendingKeySet());
    for (long s : steps) {
      Path d = dirOf(root, s);
      try {
        verify(d);
        return Optional.of(d);
      } catch (CorruptArtifactException e) {
        if (skipped != null) skipped.add(e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** The step number of a step directory. */
  public static long stepOf(Path stepDir) {
    return Long.parseLong(stepDir.getFileName().toString().substring(PREFIX.length()));
  }
}
