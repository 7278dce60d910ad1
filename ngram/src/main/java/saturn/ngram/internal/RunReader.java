package saturn.ngram.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;
import saturn.artifact.CorruptArtifactException;

/** Streams one spilled run back (see {@link RunFormat}); verifies the entry count and CRC32 at the end. */
final class RunReader implements SortedCounts {
  private final KeyCodec codec;
  private final Path file;
  private final FileChannel ch;
  private final ByteBuffer buf;
  private final CRC32 crc = new CRC32();
  /** The current key's term bytes, zero-padded to whole words. */
  private final byte[] term;
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private final long[] key;
  private long count;
  private long entries;
  private boolean done;

  RunReader(KeyCodec codec, Path file, int bufferBytes) throws IOException {
    this.codec = codec;
    this.file = file;
    this.ch = FileChannel.open(file, StandardOpenOption.READ);
    this.buf = ByteBuffer.allocate(Math.max(bufferBytes, 4 * RunFormat.MAX_ENTRY_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
    this.term = new byte[codec.words() * 8];
    this.key = new long[codec.words()];
    buf.limit(0);
    fill();
    byte[] magic = new byte[8];
    if (buf.remaining() < RunFormat.HEADER_BYTES) throw new CorruptArtifactException(file, "spill run shorter than its header");
    buf.get(magic);
    if (!Arrays.equals(magic, RunFormat.MAGIC) || buf.getInt() != codec.order() || buf.getInt() != codec.bitsPerToken()) {
      throw new CorruptArtifactException(file, "not a spill run of this count");
    }
  }

  /** Keeps at least MAX_ENTRY_BYTES + 17 bytes ahead when the file has them; checksums bytes as they are consumed. */
  private void fill() throws IOException {
    int consumedTo = buf.position();
    crc.update(buf.array(), 0, consumedTo);
    buf.compact();
    while (buf.hasRemaining() && ch.read(buf) > 0) {
      // keep reading until full or end of file
    }
    buf.flip();
  }

  @Override
  public boolean next() throws IOException {
    if (done) return false;
    if (buf.remaining() < RunFormat.MAX_ENTRY_BYTES + 17) {
      fill();
    }
    if (!buf.hasRemaining()) throw new CorruptArtifactException(file, "spill run is truncated");
    int shared = buf.get() & 0xFF;
    if (shared == RunFormat.END) {
      long n = buf.getLong();
      crc.update(buf.array(), 0, buf.position());
      long expected = buf.getLong();
      buf.position(buf.limit()).compact().flip(); // nothing is left to checksum
      if (n != entries || crc.getValue() != expected) {
        throw new CorruptArtifactException(file, "spill run damaged (" + entries + " entries read, " + n + " written, checksum "
            + (crc.getValue() == expected ? "ok" : "mismatch") + ")");
      }
      done = true;
      return false;
    }
    int termBytes = codec.termBytes();
    if (shared >= termBytes) throw new CorruptArtifactException(file, "spill run damaged at entry " + entries);
    try {
      buf.get(term, shared, termBytes - shared);
      count = getVarLong();
    } catch (BufferUnderflowException e) {
      throw new CorruptArtifactException(file, "spill run is truncated at entry " + entries);
    }
    for (int w = 0; w < key.length; w++) key[w] = (long) LONG_BE.get(term, w * 8);
    entries++;
    return true;
  }

  private long getVarLong() {
    long v = 0;
    int shift = 0;
    while (true) {
      byte b = buf.get();
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) return v;
      shift += 7;
    }
  }

  @Override
  public long[] key() {
    return key;
  }

  @Override
  public int keyOffset() {
    return 0;
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public void close() throws IOException {
    ch.close();
  }
}
