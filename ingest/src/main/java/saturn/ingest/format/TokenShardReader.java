package saturn.ingest.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import saturn.artifact.CorruptArtifactException;

/**
 * Reads one split of a token artifact, memory-mapped: random access to tokens by global position and to document
 * boundaries. Headers, sizes and the index checksum are validated on open; a damaged file raises
 * {@link CorruptArtifactException} naming it. Thread-safe for reads.
 */
public final class TokenShardReader implements AutoCloseable {
  private final List<Path> shardPaths = new ArrayList<>();
  private final List<ByteBuffer> shards = new ArrayList<>();
  private final long[] shardStart; // global position of each shard's first token, plus total at the end
  private final boolean uint32;
  private final long[] docOffsets;

  private TokenShardReader(Path dir, String split) throws IOException {
    Boolean wide = null;
    List<Long> starts = new ArrayList<>();
    long total = 0;
    for (int i = 0; ; i++) {
      Path p = dir.resolve(TokenShardFormat.shardName(split, i));
      if (!Files.isRegularFile(p)) break;
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
        long size = ch.size();
        if (size < TokenShardFormat.HEADER_BYTES) throw new CorruptArtifactException(p, "shorter than the 1024-byte header");
        MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        map.order(ByteOrder.LITTLE_ENDIAN);
        int magic = map.getInt(0);
        int version = map.getInt(4);
        long count = Integer.toUnsignedLong(map.getInt(8));
        boolean w;
        if (magic == TokenShardFormat.MAGIC_UINT16 && version == TokenShardFormat.VERSION_UINT16) w = false;
        else if (magic == TokenShardFormat.MAGIC_UINT32 && version == TokenShardFormat.VERSION_UINT32) w = true;
        else throw new CorruptArtifactException(p, "not a token shard (magic " + magic + ", version " + version + ")");
        if (wide != null && wide != w) throw new CorruptArtifactException(p, "token width differs from earlier shards");
        wide = w;
        long expected = TokenShardFormat.HEADER_BYTES + count * (w ? 4 : 2);
        if (size != expected) {
          throw new CorruptArtifactException(p, "header says " + count + " tokens (" + expected + " bytes) but the file has " + size + " bytes");
        }
        shardPaths.add(p);
        shards.add(map.position(TokenShardFormat.HEADER_BYTES).slice().order(ByteOrder.LITTLE_ENDIAN));
        starts.add(total);
        total += count;
      }
    }
    if (shards.isEmpty()) {
      throw new CorruptArtifactException(dir.resolve(TokenShardFormat.shardName(split, 0)), "no shard for split '" + split + "'");
    }
    starts.add(total);
    this.shardStart = starts.stream().mapToLong(Long::longValue).toArray();
    this.uint32 = wide;
    this.docOffsets = readDocIndex(dir.resolve(TokenShardFormat.docsName(split)), total);
  }

  /** Opens split {@code train} or {@code val} of the token artifact in {@code dir}. */
  public static TokenShardReader open(Path dir, String split) throws IOException {
    return new TokenShardReader(dir, split);
  }

  private static long[] readDocIndex(Path p, long totalTokens) throws IOException {
    if (!Files.isRegularFile(p)) throw new CorruptArtifactException(p, "document index is missing");
    byte[] bytes = Files.readAllBytes(p);
    if (bytes.length < TokenShardFormat.DOCS_HEADER_BYTES + 16
        || !Arrays.equals(Arrays.copyOf(bytes, 8), TokenShardFormat.DOCS_MAGIC)) {
      throw new CorruptArtifactException(p, "not a saturn document index");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int version = b.getInt(8);
    if (version < TokenShardFormat.DOCS_VERSION_START || version > TokenShardFormat.DOCS_VERSION_CURRENT) {
      throw new CorruptArtifactException(p, "document index version " + version + " is not in ["
          + TokenShardFormat.DOCS_VERSION_START + ", " + TokenShardFormat.DOCS_VERSION_CURRENT + "]; upgrade saturn");
    }
    long n = b.getLong(12);
    long expectedLength = TokenShardFormat.DOCS_HEADER_BYTES + (n + 1) * 8 + 8;
    if (n < 0 || expectedLength != bytes.length) {
      throw new CorruptArtifactException(p, "document count " + n + " does not match the file length " + bytes.length);
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    if (crc.getValue() != b.getLong(bytes.length - 8)) throw new CorruptArtifactException(p, "checksum mismatch");
    long[] offsets = new long[(int) n + 1];
    for (int i = 0; i <= n; i++) offsets[i] = b.getLong(TokenShardFormat.DOCS_HEADER_BYTES + i * 8);
    if (offsets[(int) n] != totalTokens) {
      throw new CorruptArtifactException(p, "index ends at token " + offsets[(int) n] + " but the shards hold " + totalTokens);
    }
    for (int i = 1; i <= n; i++) {
      if (offsets[i] < offsets[i - 1]) throw new CorruptArtifactException(p, "offsets decrease at document " + i);
    }
    return offsets;
  }

  /** Total tokens in this split. */
  public long size() {
    return shardStart[shardStart.length - 1];
  }

  public boolean isUint32() {
    return uint32;
  }

  public int token(long position) {
    int s = shardOf(position);
    int local = (int) (position - shardStart[s]);
    ByteBuffer b = shards.get(s);
    return uint32 ? b.getInt(local * 4) : Short.toUnsignedInt(b.getShort(local * 2));
  }

  /** Copies {@code length} tokens starting at {@code position} into {@code dst}. */
  public void read(long position, int[] dst, int offset, int length) {
    if (position < 0 || position + length > size()) {
      throw new IndexOutOfBoundsException("[" + position + ", " + (position + length) + ") outside [0, " + size() + ")");
    }
    int done = 0;
    while (done < length) {
      long pos = position + done;
      int s = shardOf(pos);
      int local = (int) (pos - shardStart[s]);
      int n = (int) Math.min(length - done, shardStart[s + 1] - pos);
      ByteBuffer b = shards.get(s);
      if (uint32) {
        for (int i = 0; i < n; i++) dst[offset + done + i] = b.getInt((local + i) * 4);
      } else {
        for (int i = 0; i < n; i++) dst[offset + done + i] = Short.toUnsignedInt(b.getShort((local + i) * 2));
      }
      done += n;
    }
  }

  private int shardOf(long position) {
    int i = Arrays.binarySearch(shardStart, position);
    int s = i >= 0 ? i : -i - 2;
    while (s < shards.size() - 1 && shardStart[s + 1] == position) s++; // skip empty shards
    return s;
  }

  public int documents() {
    return docOffsets.length - 1;
  }

  /** Start of document d, at its leading end-of-text token if the tokenizer has one. */
  public long documentStart(int d) {
    return docOffsets[d];
  }

  /** End (exclusive) of document d. */
  public long documentEnd(int d) {
    return docOffsets[d + 1];
  }

  public List<Path> shardPaths() {
    return List.copyOf(shardPaths);
  }

  @Override
  public void close() {
    shards.clear(); // mapped buffers are released by the GC
  }
}
