package saturn.ngram.internal;

import java.io.IOException;

/**
 * The first failure among threads working on one count: every thread polls {@link #check()} in its loop and stops
 * once any other has failed, so a failing partition never leaves the others running or waiting.
 */
public final class Stop {
  private volatile Throwable first;

  /** Records {@code t} if it is the first failure. */
  public void fail(Throwable t) {
    synchronized (this) {
      if (first == null) first = t;
    }
  }

  public boolean stopped() {
    return first != null;
  }

  public Throwable first() {
    return first;
  }

  /** Throws {@link Stopped} once any thread has failed. */
  public void check() throws Stopped {
    Throwable f = first;
    if (f != null) throw new Stopped(f);
  }

  /** Thrown by the threads that stop because another failed; never the error a caller sees. */
  public static final class Stopped extends IOException {
    Stopped(Throwable cause) {
      super("stopped: another thread of this count failed (" + cause + ")", null);
    }
  }
}
