package saturn.ngram.internal;

/**
 * A spilled run: sorted (n-gram, count) pairs in a scratch file, prefix-compressed. Header: magic {@code SATRUN02},
 * int order, int bits per token. Entries: one byte {@code shared} (leading bytes of the key's term form shared with
 * the previous key, 0 .. termBytes−1), the termBytes − shared remaining bytes, then the count as a varlong. End: byte
 * 0xFF, long entry count, long CRC32 of every preceding byte. Runs live only while a count is in progress.
 *
 * <p>Why it is fast: consecutive sorted n-grams share most of their bytes, so an entry of real text costs ~5-7 bytes
 * instead of 24, and spilling is sequential I/O through a 1 MiB buffer. The key's bytes are stored as they are (not
 * token by token as varints), so the merge reads a key back with one copy and a big-endian load per word: decoding
 * was a quarter of the merging thread's time.
 */
final class RunFormat {
  static final byte[] MAGIC = {'S', 'A', 'T', 'R', 'U', 'N', '0', '2'};
  static final int END = 0xFF;
  static final int HEADER_BYTES = 8 + 4 + 4;
  static final int MAX_ENTRY_BYTES = 1 + 8 * 4 + 10;

  private RunFormat() {}
}
