package saturn.ngram.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/** Writes one spilled run (see {@link RunFormat}). */
final class RunWriter implements AutoCloseable {
  private final KeyCodec codec;
  private final FileChannel ch;
  private final ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
  private final CRC32 crc = new CRC32();
  private final long[] prev;
  private final byte[] term;
  private long entries;
  private long bytes;
  private boolean closed;

  RunWriter(KeyCodec codec, Path file) throws IOException {
    this.codec = codec;
    this.prev = new long[codec.words()];
    this.term = new byte[codec.termBytes()];
    this.ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    buf.put(RunFormat.MAGIC).putInt(codec.order()).putInt(codec.bitsPerToken());
  }

  void add(long[] key, int off, long count) throws IOException {
    if (buf.remaining() < RunFormat.MAX_ENTRY_BYTES) flush();
    // leading term bytes shared with the previous key; at most termBytes − 1 (equal keys do not occur in a run)
    int shared = entries == 0 ? 0 : Math.min(term.length - 1, codec.sharedBits(prev, 0, key, off) >>> 3);
    codec.toTerm(key, off, term, 0);
    buf.put((byte) shared);
    buf.put(term, shared, term.length - shared);
    putVarLong(count);
    System.arraycopy(key, off, prev, 0, prev.length);
    entries++;
  }

  private void putVarLong(long v) {
    while ((v & ~0x7FL) != 0) {
      buf.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    buf.put((byte) v);
  }

  private void flush() throws IOException {
    buf.flip();
    crc.update(buf.array(), 0, buf.limit());
    bytes += buf.limit();
    while (buf.hasRemaining()) ch.write(buf);
    buf.clear();
  }

  long entries() {
    return entries;
  }

  /** Bytes written so far (complete after close). */
  long bytes() {
    return bytes;
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    try {
      if (buf.remaining() < 9) flush();
      buf.put((byte) RunFormat.END).putLong(entries);
      flush();
      ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(crc.getValue());
      tail.flip();
      while (tail.hasRemaining()) ch.write(tail);
      bytes += 8;
    } finally {
      ch.close();
    }
  }
}
