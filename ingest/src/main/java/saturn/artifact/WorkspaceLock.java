package saturn.artifact;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on a file, held across processes (OS file lock) and threads of this JVM (a reentrant lock, since
 * the JVM refuses to lock the same file twice). Short critical sections only: publication and clean-up.
 */
public final class WorkspaceLock implements AutoCloseable {
  private static final java.util.concurrent.ConcurrentHashMap<Path, ReentrantLock> IN_JVM =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final ReentrantLock jvmLock;
  private final FileChannel channel;
  private final FileLock fileLock;

  private WorkspaceLock(ReentrantLock jvmLock, FileChannel channel, FileLock fileLock) {
    this.jvmLock = jvmLock;
    this.channel = channel;
    this.fileLock = fileLock;
  }

  /** Waits up to {@code timeoutMillis} for the lock; fails with a message naming the lock file after that. */
  public static WorkspaceLock acquire(Path lockFile, long timeoutMillis) throws IOException {
    Path key = lockFile.toAbsolutePath().normalize();
    ReentrantLock jvm = IN_JVM.computeIfAbsent(key, k -> new ReentrantLock());
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    try {
      if (!jvm.tryLock(timeoutMillis, TimeUnit.MILLISECONDS)) throw busy(key);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + key, e);
    }
    if (jvm.getHoldCount() > 1) return new WorkspaceLock(jvm, null, null); // re-entered in this thread
    FileChannel ch = null;
    try {
      ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      while (true) {
        FileLock fl = ch.tryLock();
        if (fl != null) return new WorkspaceLock(jvm, ch, fl);
        if (System.nanoTime() > deadline) throw busy(key);
        Thread.sleep(50);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (ch != null) ch.close();
      jvm.unlock();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + key, e);
      }
      throw e instanceof IOException io ? io : new IOException(e);
    }
  }

  /** Takes the lock only if it is free now; null otherwise. */
  public static WorkspaceLock tryAcquire(Path lockFile) throws IOException {
    try {
      return acquire(lockFile, 0);
    } catch (LockBusyException e) {
      return null;
    }
  }

  private static IOException busy(Path key) {
    return new LockBusyException(key + ": held by another saturn process; wait for it to finish (or remove the"
        + " file if no saturn process is running)");
  }

  /** The lock is held by someone else. */
  public static final class LockBusyException extends IOException {
    private static final long serialVersionUID = 1L;

    LockBusyException(String message) {
      super(message);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (fileLock != null) fileLock.release();
      if (channel != null) channel.close();
    } finally {
      jvmLock.unlock();
    }
  }
}
