package saturn.ngram.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one task per partition, each on its own thread, and waits for all of them. The first failure stops the others
 * (through a shared {@link Stop} that their loops poll) and is rethrown once every thread has ended, with the
 * failures of the others attached as suppressed; no thread is left running or blocked.
 */
public final class PartitionTasks {
  private PartitionTasks() {}

  /** One partition's work. */
  @FunctionalInterface
  public interface Task<T> {
    T run(int partition) throws Exception;
  }

  /** Runs {@code task} for partitions 0 .. n-1 on threads named {@code name-<p>}; returns the results in order. */
  public static <T> List<T> run(String name, int n, Stop stop, Task<T> task) throws IOException {
    List<T> results = new ArrayList<>();
    for (int p = 0; p < n; p++) results.add(null);
    Throwable[] errors = new Throwable[n];
    Thread[] threads = new Thread[n];
    for (int p = 0; p < n; p++) {
      int part = p;
      threads[p] = new Thread(() -> {
        try {
          T r = task.run(part);
          synchronized (results) {
            results.set(part, r);
          }
        } catch (Throwable e) {
          errors[part] = e;
          stop.fail(e);
        }
      }, name + "-" + p);
      threads[p].setDaemon(true);
    }
    for (Thread t : threads) t.start();
    boolean interrupted = false;
    for (Thread t : threads) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
          stop.fail(new IOException("interrupted"));
        }
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    Throwable first = stop.first();
    if (first == null) {
      for (Throwable e : errors) if (e != null) first = e;
    }
    if (first != null) {
      for (Throwable e : errors) {
        if (e != null && e != first && !(e instanceof Stop.Stopped)) first.addSuppressed(e);
      }
      if (first instanceof IOException io) throw io;
      if (first instanceof RuntimeException re) throw re;
      if (first instanceof Error er) throw er;
      throw new IOException(first);
    }
    return results;
  }
}
