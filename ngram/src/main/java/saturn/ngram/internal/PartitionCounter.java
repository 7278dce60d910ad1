package saturn.ngram.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import saturn.ingest.format.TokenShardReader;

/**
 * Counts the n-grams of one partition (those whose context {@link Partitioning} assigns to it) over the whole
 * corpus: slides the window over every document, counts this partition's n-grams in a {@link CountTable}, and when
 * the table reaches its budget sorts it and spills it as a run into {@code spillDir}. {@link #merged} then yields the
 * partition's sorted counts: its runs merged with the table's last contents, in passes of at most
 * {@link MemoryPlan#maxFanIn()} runs.
 *
 * <p>Why per partition: partitions hold disjoint n-grams, so P threads count, merge and write their partition with
 * no lock, no queue and no shared merge; memory is the distinct n-grams once (no thread holds another's). Each
 * thread reads every token (cheap: two bytes each) and skips the n-grams of other partitions after one hash.
 */
public final class PartitionCounter implements AutoCloseable {
  /** Windows between two polls of the stop signal. */
  private static final int CHUNK = 1 << 16;

  private final KeyCodec codec;
  private final int partition;
  private final int partitions;
  private final MemoryPlan plan;
  private final Path spillDir;
  private final Stop stop;
  private final CountTable table;
  private final List<Path> runs = new ArrayList<>();
  private final List<RunReader> openReaders = new ArrayList<>();
  private long bytesSpilled;
  private int runsWritten;
  private int fileIndex;
  private long bytesRemerged;
  private int maxRunsOpen;
  private long windows;

  public PartitionCounter(KeyCodec codec, int partition, int partitions, MemoryPlan plan, Path spillDir, Stop stop) {
    this.codec = codec;
    this.partition = partition;
    this.partitions = partitions;
    this.plan = plan;
    this.spillDir = spillDir;
    this.stop = stop;
    int max = CountTable.capacityFor(codec, plan.tableBytes());
    this.table = new CountTable(codec, Math.min(max, 1 << 15), max);
  }

  /** Counts this partition's n-grams of every input; then {@link #merged}. */
  public void count(List<NgramCounter.Input> inputs) throws IOException {
    int n = codec.order();
    int[] tokens = new int[CHUNK + n];
    long[] key = new long[codec.words()];
    for (NgramCounter.Input in : inputs) {
      TokenShardReader r = in.reader();
      int docs = r.documents();
      for (int d = 0; d < docs; d++) {
        long ds = r.documentStart(d);
        long de = r.documentEnd(d);
        if (de - ds > 0 && in.eotToken() >= 0 && r.token(ds) == in.eotToken()) ds++; // the boundary marker is not text
        for (long p = ds; p + n <= de; ) {
          stop.check();
          int here = (int) Math.min(CHUNK, de - n - p + 1);
          r.read(p, tokens, 0, here + n - 1);
          countWindows(tokens, here, key);
          windows += here;
          p += here;
        }
      }
    }
    table.sort();
    table.releaseScratch();
  }

  /** Counts the windows starting at tokens[0 .. count). */
  private void countWindows(int[] tokens, int count, long[] key) throws IOException {
    int n = codec.order();
    int b = codec.bitsPerToken();
    int ctxBytes = codec.termBytes() - codec.bytesPerToken();
    codec.pack(tokens, 0, key, 0);
    if (codec.words() <= 2 && 64 % b == 0) { // 8, 16 or 32 bits per token: the new token never straddles words
      boolean two = codec.words() == 2;
      int used = codec.usedBits();
      int newShift = two ? 128 - used : 64 - used; // where the newest token sits in the last word
      long k0 = key[0];
      long k1 = two ? key[1] : 0;
      for (int i = 0; i < count; i++) {
        if (i > 0) {
          long t = (tokens[i + n - 1] & 0xFFFFFFFFL) << newShift;
          if (two) {
            k0 = (k0 << b) | (k1 >>> (64 - b));
            k1 = (k1 << b) | t;
          } else {
            k0 = (k0 << b) | t;
          }
        }
        if (partitions > 1 && Partitioning.ofWords(k0, k1, ctxBytes, partitions) != partition) continue;
        while (!(two ? table.add2(k0, k1) : table.add1(k0))) spill();
      }
      return;
    }
    for (int i = 0; i < count; i++) {
      if (i > 0) codec.roll(key, 0, tokens[i + n - 1]);
      if (partitions > 1 && Partitioning.ofKey(key, 0, ctxBytes, partitions) != partition) continue;
      while (!table.add(key, 0, 1)) spill();
    }
  }

  private void spill() throws IOException {
    table.sort();
    bytesSpilled += writeRun(table.sortedCounts());
    runsWritten++;
    table.clear();
  }

  /** Writes a run file of {@code source}; returns its size. */
  private long writeRun(SortedCounts source) throws IOException {
    Files.createDirectories(spillDir);
    Path file = spillDir.resolve("p" + partition + "-run" + fileIndex++ + ".bin");
    try (RunWriter w = new RunWriter(codec, file)) {
      long entries = 0;
      while (source.next()) {
        w.add(source.key(), source.keyOffset(), source.count());
        if ((++entries & 0xFFFF) == 0) stop.check();
      }
      w.close();
      runs.add(file);
      return w.bytes();
    }
  }

  /**
   * This partition's counts in key order: every spilled run and the table's last contents, plus {@code extra} (an
   * existing store's counts of this partition, or null). Runs beyond the fan-in are first merged in passes, so a
   * merge never holds more than {@link MemoryPlan#maxFanIn()} run files open. Consume before {@link #close()}.
   */
  public SortedCounts merged(SortedCounts extra) throws IOException {
    int fanIn = plan.maxFanIn();
    while (runs.size() > fanIn) {
      // merge just enough of the oldest runs into one that fanIn remain (in-memory sources hold no file)
      int take = Math.min(fanIn, runs.size() - fanIn + 1);
      List<Path> group = new ArrayList<>(runs.subList(0, take));
      runs.subList(0, take).clear();
      List<SortedCounts> in = new ArrayList<>();
      for (Path f : group) in.add(open(f));
      try (RunMerger m = new RunMerger(codec, in)) {
        bytesRemerged += writeRun(m);
      }
      openReaders.removeAll(in);
      for (Path f : group) Files.deleteIfExists(f);
    }
    List<SortedCounts> sources = new ArrayList<>();
    for (Path f : runs) sources.add(open(f));
    sources.add(table.sortedCounts());
    if (extra != null) sources.add(extra);
    return new StoppableCounts(sources.size() == 1 ? sources.get(0) : new RunMerger(codec, sources), stop);
  }

  private RunReader open(Path f) throws IOException {
    RunReader r = new RunReader(codec, f, plan.readBufferBytes());
    openReaders.add(r);
    maxRunsOpen = Math.max(maxRunsOpen, openReaders.size());
    return r;
  }

  public long bytesSpilled() {
    return bytesSpilled;
  }

  /** Runs spilled by counting (not the intermediate merge passes). */
  public int runsSpilled() {
    return runsWritten;
  }

  /** Bytes written by merge passes (runs beyond the fan-in merged into one). */
  public long bytesRemerged() {
    return bytesRemerged;
  }

  /** The most run files this partition had open at once. */
  public int maxRunsOpen() {
    return maxRunsOpen;
  }

  /** N-gram windows slid (all partitions' windows: every thread sees all of them). */
  public long windows() {
    return windows;
  }

  public int distinctInTable() {
    return table.size();
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (RunReader r : openReaders) {
      try {
        r.close();
      } catch (IOException e) {
        if (first == null) first = e;
      }
    }
    openReaders.clear();
    for (Path f : runs) Files.deleteIfExists(f);
    runs.clear();
    if (first != null) throw first;
  }

  /** A stream that stops when another thread of the count failed. */
  private static final class StoppableCounts implements SortedCounts {
    private final SortedCounts in;
    private final Stop stop;
    private int calls;

    StoppableCounts(SortedCounts in, Stop stop) {
      this.in = in;
      this.stop = stop;
    }

    @Override
    public boolean next() throws IOException {
      if ((++calls & 0xFFF) == 0) stop.check();
      return in.next();
    }

    @Override
    public long[] key() {
      return in.key();
    }

    @Override
    public int keyOffset() {
      return in.keyOffset();
    }

    @Override
    public long count() {
      return in.count();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
