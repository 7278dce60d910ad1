package saturn.ingest.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes one split of a token artifact: shards of at most {@code tokensPerShard} tokens and the document index.
 * Not thread-safe; call {@link #beginDocument()} before each document's tokens.
 */
public final class TokenShardWriter implements AutoCloseable {
  private final Path dir;
  private final String split;
  private final boolean uint32;
  private final long tokensPerShard;
  private final int vocabSize;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
  /** Document starts stream to the index file as they come, so memory stays flat in the number of documents. */
  private final ByteBuffer docBuffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
  private FileChannel docs;
  private int documents;
  private final List<String> shardFiles = new ArrayList<>();
  private FileChannel shard;
  private long tokensInShard;
  private long totalTokens;
  private boolean closed;

  public TokenShardWriter(Path dir, String split, int vocabSize, long tokensPerShard) {
    if (tokensPerShard < 1 || tokensPerShard > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("tokensPerShard must be in [1, 2^31): " + tokensPerShard);
    }
    this.dir = dir;
    this.split = split;
    this.vocabSize = vocabSize;
    this.uint32 = TokenShardFormat.needsUint32(vocabSize);
    this.tokensPerShard = tokensPerShard;
  }

  public void beginDocument() throws IOException {
    if (documents == Integer.MAX_VALUE) throw new IllegalStateException("more than 2^31-1 documents in one split");
    if (docs == null) openDocIndex();
    if (docBuffer.remaining() < 8) flushDocs();
    docBuffer.putLong(totalTokens);
    documents++;
  }

  private void openDocIndex() throws IOException {
    docs = FileChannel.open(dir.resolve(TokenShardFormat.docsName(split)), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, StandardOpenOption.READ);
    docBuffer.put(TokenShardFormat.DOCS_MAGIC).putInt(TokenShardFormat.DOCS_VERSION_CURRENT).putLong(0); // n patched at close
  }

  private void flushDocs() throws IOException {
    docBuffer.flip();
    while (docBuffer.hasRemaining()) docs.write(docBuffer);
    docBuffer.clear();
  }

  public void write(int token) throws IOException {
    if (token < 0 || token >= vocabSize) {
      throw new IllegalArgumentException("token id " + token + " outside the vocabulary [0, " + vocabSize + ")");
    }
    if (shard == null || tokensInShard == tokensPerShard) openNextShard();
    if (buffer.remaining() < 4) flushBuffer();
    if (uint32) buffer.putInt(token);
    else buffer.putShort((short) token);
    tokensInShard++;
    totalTokens++;
  }

  public void write(int[] tokens, int offset, int length) throws IOException {
    for (int i = offset; i < offset + length; i++) write(tokens[i]);
  }

  public long totalTokens() {
    return totalTokens;
  }

  public int documents() {
    return documents;
  }

  /** File names written so far, relative to the artifact directory. */
  public List<String> files() {
    List<String> f = new ArrayList<>(shardFiles);
    f.add(TokenShardFormat.docsName(split));
    return f;
  }

  private void openNextShard() throws IOException {
    finishShard();
    String name = TokenShardFormat.shardName(split, shardFiles.size());
    shardFiles.add(name);
    shard = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
        StandardOpenOption.READ);
    shard.write(header(0), 0);
    shard.position(TokenShardFormat.HEADER_BYTES);
    tokensInShard = 0;
  }

  private ByteBuffer header(long count) {
    ByteBuffer h = ByteBuffer.allocate(TokenShardFormat.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0, uint32 ? TokenShardFormat.MAGIC_UINT32 : TokenShardFormat.MAGIC_UINT16);
    h.putInt(4, uint32 ? TokenShardFormat.VERSION_UINT32 : TokenShardFormat.VERSION_UINT16);
    h.putInt(8, (int) count);
    return h;
  }

  private void flushBuffer() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) shard.write(buffer);
    buffer.clear();
  }

  private void finishShard() throws IOException {
    if (shard == null) return;
    flushBuffer();
    shard.write(header(tokensInShard), 0);
    shard.close();
    shard = null;
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    if (shard == null && shardFiles.isEmpty()) openNextShard(); // an empty split still has one (empty) shard
    finishShard();
    writeDocIndex();
  }

  private void writeDocIndex() throws IOException {
    if (docs == null) openDocIndex();
    if (docBuffer.remaining() < 8) flushDocs();
    docBuffer.putLong(totalTokens);
    flushDocs();
    ByteBuffer n = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, documents);
    docs.write(n, 8 + 4);
    // CRC32 of everything before it: one sequential pass over the file just written
    CRC32 crc = new CRC32();
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
    long pos = 0;
    long end = docs.size();
    while (pos < end) {
      chunk.clear();
      int r = docs.read(chunk, pos);
      if (r <= 0) throw new IOException(dir.resolve(TokenShardFormat.docsName(split)) + ": short read while checksumming");
      crc.update(chunk.array(), 0, r);
      pos += r;
    }
    ByteBuffer c = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, crc.getValue());
    docs.write(c, end);
    docs.close();
    docs = null;
  }
}
