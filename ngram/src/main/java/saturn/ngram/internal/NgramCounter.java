package saturn.ngram.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import saturn.ingest.format.TokenShardReader;

/**
 * Counts every n-gram of token streams exactly within a memory budget, in P partitions counted in parallel (one
 * {@link PartitionCounter} per thread, partitions as the store's, see {@link Partitioning}). The result is one sorted
 * stream per partition ({@link #countPartitions}), each the merge of the partition's spilled runs and its table's last
 * contents, so a corpus that fits the budget never touches the disk; or all partitions merged into one stream
 * ({@link #count}).
 *
 * <p>Documents: an n-gram never crosses a document boundary, and a document's leading end-of-text token (the
 * boundary marker) is never part of one.
 *
 * <p>Spilled runs live in {@code spillDir}, which the caller places inside the stage's temporary directory (so a
 * failed or killed count leaves nothing behind that the next start does not remove); {@link #close()} deletes it.
 */
public final class NgramCounter implements AutoCloseable {
  /** One split of one token artifact. */
  public record Input(TokenShardReader reader, int eotToken) {}

  private final KeyCodec codec;
  private final MemoryPlan plan;
  private final Path spillDir;
  private final Stop stop;
  private final List<PartitionCounter> parts = new ArrayList<>();

  /**
   * A counter with {@code bufferBudgetBytes} for all threads' count tables together (no minimum: internal callers
   * and tests may force a spill every few n-grams).
   *
   * @param spillDir a private directory for spilled runs; deleted on close
   */
  public NgramCounter(KeyCodec codec, int threads, long bufferBudgetBytes, Path spillDir) {
    this(codec, MemoryPlan.forTables(bufferBudgetBytes / Math.max(1, threads), threads), spillDir, new Stop());
  }

  public NgramCounter(KeyCodec codec, MemoryPlan plan, Path spillDir, Stop stop) {
    this.codec = codec;
    this.plan = plan;
    this.spillDir = spillDir;
    this.stop = stop;
  }

  /**
   * Counts all inputs into {@code plan.threads()} partitions, one thread each; returns each partition's sorted counts
   * (with {@code extra.get(p)} merged in when {@code extra} is not null). Consume them before {@link #close()}.
   */
  public List<SortedCounts> countPartitions(List<Input> inputs, List<SortedCounts> extra) throws IOException {
    int n = plan.threads();
    Files.createDirectories(spillDir);
    for (int p = 0; p < n; p++) parts.add(new PartitionCounter(codec, p, n, plan, spillDir, stop));
    return PartitionTasks.run("ngram-count", n, stop, p -> {
      PartitionCounter c = parts.get(p);
      c.count(inputs);
      return c.merged(extra == null ? null : extra.get(p));
    });
  }

  /** Counts all inputs; the returned stream (all partitions merged) is sorted and must be consumed before {@link #close()}. */
  public SortedCounts count(List<Input> inputs) throws IOException {
    List<SortedCounts> ps = countPartitions(inputs, null);
    return ps.size() == 1 ? ps.get(0) : new RunMerger(codec, ps); // disjoint: the merge only interleaves
  }

  public long bytesSpilled() {
    long s = 0;
    for (PartitionCounter c : parts) s += c.bytesSpilled();
    return s;
  }

  public int runsSpilled() {
    int s = 0;
    for (PartitionCounter c : parts) s += c.runsSpilled();
    return s;
  }

  /** Bytes rewritten by merge passes (runs beyond the fan-in). */
  public long bytesRemerged() {
    long s = 0;
    for (PartitionCounter c : parts) s += c.bytesRemerged();
    return s;
  }

  /** The most run files one partition's merge held open at once. */
  public int maxRunsOpen() {
    int m = 0;
    for (PartitionCounter c : parts) m = Math.max(m, c.maxRunsOpen());
    return m;
  }

  /** N-gram windows slid over the inputs. */
  public long ngramsCounted() {
    return parts.isEmpty() ? 0 : parts.get(0).windows();
  }

  public MemoryPlan plan() {
    return plan;
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (PartitionCounter c : parts) {
      try {
        c.close();
      } catch (IOException e) {
        if (first == null) first = e;
      }
    }
    parts.clear();
    if (Files.exists(spillDir)) {
      try (Stream<Path> walk = Files.walk(spillDir)) {
        for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
      }
    }
    if (first != null) throw first;
  }
}
