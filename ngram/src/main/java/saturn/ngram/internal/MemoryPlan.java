package saturn.ngram.internal;

import java.lang.management.ManagementFactory;

/**
 * How a count divides its memory budget: a fixed reserve (the stage's Lucene writers, merge read buffers, the JVM's
 * working garbage), then one count table per partition thread (entries plus the scratch to sort them), and a merge
 * fan-in bounded by the open-file limit.
 *
 * @param threads partitions counted (and written) in parallel
 * @param tableBytes bytes each partition's {@link CountTable} may hold, sort scratch included
 * @param maxFanIn most spilled runs one merge reads at once (more runs are merged in passes)
 * @param readBufferBytes read buffer of each spilled run during a merge
 */
public record MemoryPlan(int threads, long tableBytes, int maxFanIn, int readBufferBytes) {
  private static final long MIB = 1L << 20;
  /** Lucene writers, blocks in flight, the JVM's young garbage: independent of the data. */
  static final long RESERVE = 32 * MIB;
  /** Per thread: merge read buffers and the spill writer. */
  static final long PER_THREAD = 4 * MIB;
  /** The smallest table worth counting with (about 170,000 two-word n-grams). */
  static final long MIN_TABLE = 4 * MIB;
  /** Above this, more runs per merge only cost memory and cache. */
  static final int FAN_IN_CAP = 128;

  public MemoryPlan {
    if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
    if (maxFanIn < 2) throw new IllegalArgumentException("merge fan-in must be >= 2: " + maxFanIn);
  }

  /** The least budget a count with {@code threads} threads can work in. */
  public static long minimumBytes(int threads) {
    return RESERVE + threads * (PER_THREAD + MIN_TABLE);
  }

  /**
   * The plan for a whole-stage budget; refuses one below {@link #minimumBytes} with a message naming the minimum.
   */
  public static MemoryPlan forBudget(long budgetBytes, int threads) {
    long min = minimumBytes(threads);
    if (budgetBytes < min) {
      throw new saturn.stage.MemoryBudgetException(String.format("--memory %s is below the %s a count with %d thread%s needs (%s"
          + " for Lucene and merge buffers + %s per thread); raise --memory to at least %s or lower --threads",
          human(budgetBytes), human(min), threads, threads == 1 ? "" : "s", human(RESERVE), human(PER_THREAD + MIN_TABLE),
          human(min)));
    }
    long tables = (budgetBytes - RESERVE - threads * PER_THREAD) / threads;
    return new MemoryPlan(threads, tables, fanInFromFileLimit(threads), readBuffer(tables));
  }

  /** A plan with tables of {@code tableBytes} per thread and no minimum (tests and internal callers). */
  public static MemoryPlan forTables(long tableBytes, int threads) {
    return new MemoryPlan(threads, tableBytes, fanInFromFileLimit(threads), readBuffer(tableBytes));
  }

  public MemoryPlan withMaxFanIn(int fanIn) {
    return new MemoryPlan(threads, tableBytes, fanIn, readBufferBytes);
  }

  private static int readBuffer(long tableBytes) {
    // after the last sort the table's scratch (a third of its budget) is free: the merge's buffers fit in it
    return (int) Math.max(16 << 10, Math.min(1 << 20, tableBytes / 3 / FAN_IN_CAP));
  }

  /**
   * Runs one merge may hold open: a share of the file descriptors still free (the process's limit minus those open,
   * minus headroom for Lucene's files), split between the threads that merge at once; between 2 and {@value #FAN_IN_CAP}.
   */
  static int fanInFromFileLimit(int threads) {
    long max = -1;
    long open = 0;
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
      max = os.getMaxFileDescriptorCount();
      open = os.getOpenFileDescriptorCount();
    }
    if (max <= 0) return FAN_IN_CAP;
    long free = max - open - 64 - 32L * threads; // Lucene keeps a few dozen files open per index while writing
    return (int) Math.max(2, Math.min(FAN_IN_CAP, free / Math.max(1, threads)));
  }

  static String human(long bytes) {
    if (bytes >= MIB && bytes % MIB == 0) return (bytes / MIB) + "m";
    if (bytes >= MIB) return String.format("%.1fm", bytes / (double) MIB);
    if (bytes >= 1024 && bytes % 1024 == 0) return (bytes / 1024) + "k";
    if (bytes >= 1024) return String.format("%.1fk", bytes / 1024.0);
    return bytes + " bytes";
  }
}
