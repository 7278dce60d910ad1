package saturn.ngram.internal;

import java.io.Closeable;
import java.io.IOException;

/**
 * A stream of (packed n-gram, count) in strictly increasing key order: a spilled run, an in-memory run, a merge of
 * runs or an existing n-gram store. {@link #key()} is valid until the next call of {@link #next()}.
 */
public interface SortedCounts extends Closeable {
  /** Advances; false at the end. */
  boolean next() throws IOException;

  /** The current packed key (read-only), at {@link #keyOffset()}. */
  long[] key();

  int keyOffset();

  long count();

  @Override
  default void close() throws IOException {}
}
