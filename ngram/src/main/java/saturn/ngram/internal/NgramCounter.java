package saturn.ngram.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import saturn.ingest.format.TokenShardReader;

/**
 * Counts every n-gram of token streams exactly within a memory budget: each worker thread slides a window over its
 * slice of the token positions, packs each n-gram into a {@link SortBuffer}, and when the buffer is full sorts it,
 * collapses duplicates and spills the sorted run to scratch. The result is a k-way {@link RunMerger} over the spilled
 * runs plus each worker's last, still in-memory run, so a corpus that fits the budget never touches the disk.
 *
 * <p>Documents: an n-gram never crosses a document boundary, and a document's leading end-of-text token (the
 * boundary marker) is never part of one.
 *
 * <p>Why it is fast: every worker owns its buffer (no locks, no shared hash table), so with two workers both cores
 * count and sort at once; sorting packed longs (see {@link SortBuffer}) is several times faster than hashing
 * objects, and memory is exactly {@code threads * 2 * capacity * words * 8} bytes, known before allocation.
 */
public final class NgramCounter implements AutoCloseable {
  /** One split of one token artifact. */
  public record Input(TokenShardReader reader, int eotToken) {}

  private final KeyCodec codec;
  private final int threads;
  private final long bufferBudgetBytes;
  private final Path scratchDir;
  private final List<Path> runFiles = new ArrayList<>();
  private final AtomicLong bytesSpilled = new AtomicLong();
  private final AtomicLong ngramsSeen = new AtomicLong();
  private final List<SortBuffer> finalBuffers = new ArrayList<>();

  /**
   * @param bufferBudgetBytes bytes all workers' sort buffers may hold together
   * @param scratchDir an empty private directory for spilled runs; deleted on close
   */
  public NgramCounter(KeyCodec codec, int threads, long bufferBudgetBytes, Path scratchDir) {
    if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
    this.codec = codec;
    this.threads = threads;
    this.bufferBudgetBytes = bufferBudgetBytes;
    this.scratchDir = scratchDir;
  }

  /** Tokens that can start an n-gram, summed over the inputs (upper bound of the work). */
  private static long positions(List<Input> inputs) {
    long s = 0;
    for (Input in : inputs) s += in.reader().size();
    return s;
  }

  /** Counts all inputs; the returned stream is sorted and must be consumed before {@link #close()}. */
  public SortedCounts count(List<Input> inputs) throws IOException {
    long total = positions(inputs);
    int workers = (int) Math.max(1, Math.min(threads, total / 4096 + 1));
    long perWorker = (total + workers - 1) / workers;
    long capLong = bufferBudgetBytes / workers / (16L * codec.words());
    capLong = Math.max(16, Math.min(capLong, Math.min(perWorker + 16, (Integer.MAX_VALUE - 8) / codec.words())));
    int capacity = (int) capLong;
    Files.createDirectories(scratchDir);
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "ngram-count");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        long from = w * perWorker;
        long to = Math.min(total, from + perWorker);
        SortBuffer buffer = new SortBuffer(codec, capacity);
        synchronized (finalBuffers) {
          finalBuffers.add(buffer);
        }
        int id = w;
        futures.add(pool.submit(() -> {
          countSlice(inputs, from, to, buffer, id);
          return null;
        }));
      }
      for (Future<Void> f : futures) f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while counting", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) throw io;
      if (c instanceof RuntimeException re) throw re;
      if (c instanceof Error er) throw er;
      throw new IOException(c);
    } finally {
      pool.shutdownNow();
    }
    List<SortedCounts> sources = new ArrayList<>();
    int readBuffer = (int) Math.max(64 << 10, Math.min(1 << 20, bufferBudgetBytes / 8 / Math.max(1, runFiles.size())));
    for (Path run : runFiles) sources.add(new RunReader(codec, run, readBuffer));
    for (SortBuffer b : finalBuffers) if (b.distinct() > 0) sources.add(b.asSortedCounts());
    return new RunMerger(codec, sources);
  }

  /** Counts n-grams starting at global positions [from, to) of the concatenated inputs. */
  private void countSlice(List<Input> inputs, long from, long to, SortBuffer buffer, int worker) throws IOException {
    int n = codec.order();
    int chunk = 1 << 16;
    int[] tokens = new int[chunk + n];
    int words = codec.words();
    long[] key = new long[words]; // the current window's key, rolled from the previous one
    long base = 0;
    long windows = 0;
    int spills = 0;
    for (Input in : inputs) {
      TokenShardReader r = in.reader();
      long size = r.size();
      long lo = Math.max(from - base, 0);
      long hi = Math.min(to - base, size);
      base += size;
      if (lo >= hi) continue;
      int docs = r.documents();
      int d = firstDocEndingAfter(r, lo);
      for (; d < docs && r.documentStart(d) < hi; d++) {
        long ds = r.documentStart(d);
        long de = r.documentEnd(d);
        if (de - ds > 0 && in.eotToken() >= 0 && r.token(ds) == in.eotToken()) ds++; // the boundary marker is not text
        long first = Math.max(ds, lo);
        long last = Math.min(de - n, hi - 1); // last window start, inclusive
        for (long p = first; p <= last; ) {
          int windowsHere = (int) Math.min(chunk, last - p + 1);
          r.read(p, tokens, 0, windowsHere + n - 1);
          long[] keys = buffer.keys();
          codec.pack(tokens, 0, key, 0);
          for (int i = 0; i < windowsHere; i++) {
            if (i > 0) codec.roll(key, 0, tokens[i + n - 1]);
            if (buffer.isFull()) {
              spill(buffer, worker, spills++);
              keys = buffer.keys();
            }
            int at = buffer.nextOffset();
            for (int w = 0; w < words; w++) keys[at + w] = key[w];
            buffer.commit();
          }
          windows += windowsHere;
          p += windowsHere;
        }
      }
    }
    buffer.sortAndCount(); // the last run stays in memory
    ngramsSeen.addAndGet(windows);
  }

  private static int firstDocEndingAfter(TokenShardReader r, long pos) {
    int lo = 0;
    int hi = r.documents();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (r.documentEnd(mid) <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private void spill(SortBuffer buffer, int worker, int index) throws IOException {
    buffer.sortAndCount();
    Path file = scratchDir.resolve("run-" + worker + "-" + index + ".bin");
    long[] k = buffer.sortedKeys();
    int words = codec.words();
    try (RunWriter w = new RunWriter(codec, file)) {
      for (int i = 0; i < buffer.distinct(); i++) w.add(k, i * words, buffer.countAt(i));
      w.close();
      bytesSpilled.addAndGet(w.bytes());
    }
    synchronized (runFiles) {
      runFiles.add(file);
    }
    buffer.clear();
  }

  public long bytesSpilled() {
    return bytesSpilled.get();
  }

  public int runsSpilled() {
    return runFiles.size();
  }

  /** N-gram occurrences counted (windows slid). */
  public long ngramsCounted() {
    return ngramsSeen.get();
  }

  @Override
  public void close() throws IOException {
    finalBuffers.clear();
    if (Files.exists(scratchDir)) {
      try (Stream<Path> walk = Files.walk(scratchDir)) {
        for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
      }
    }
  }
}
