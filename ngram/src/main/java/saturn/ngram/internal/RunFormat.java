package saturn.ngram.internal;

/**
 * A spilled run: sorted (n-gram, count) pairs in a scratch file, prefix-compressed. Header: magic {@code SATRUN01},
 * int order, int bits per token. Entries: one byte {@code shared} (tokens shared with the previous key, 0..order-1),
 * varlong count, then the order-shared remaining tokens as varints. End: byte 0xFF, long entry count, long CRC32 of
 * every preceding byte. Runs live only while a count is in progress.
 *
 * <p>Why it is fast: consecutive sorted n-grams share most of their tokens, so an entry of real text costs ~4-6
 * bytes instead of 24, and spilling is sequential I/O through a 1 MiB buffer.
 */
final class RunFormat {
  static final byte[] MAGIC = {'S', 'A', 'T', 'R', 'U', 'N', '0', '1'};
  static final int END = 0xFF;
  static final int HEADER_BYTES = 8 + 4 + 4;
  static final int MAX_ENTRY_BYTES = 1 + 10 + 8 * 5;

  private RunFormat() {}
}
