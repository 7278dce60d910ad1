package saturn.ingest.format;

/**
 * Token shards, as llm.c and nanoGPT read them, plus a document index.
 *
 * <p>A split ({@code train} or {@code val}) is a sequence of shard files {@code <split>_000000.bin}, ... Each shard
 * starts with a header of 256 little-endian int32: {@code [0]} magic, {@code [1]} version, {@code [2]} token count,
 * the rest zero. Then the tokens, little-endian:
 * <ul>
 *   <li>uint16 when the vocabulary fits in 16 bits: magic {@value #MAGIC_UINT16}, version {@value #VERSION_UINT16}
 *       (llm.c's GPT-2 layout; {@code np.memmap(f, dtype=np.uint16, offset=1024)});
 *   <li>uint32 otherwise: magic {@value #MAGIC_UINT32}, version {@value #VERSION_UINT32} (llm.c's Llama-3 layout;
 *       {@code np.memmap(f, dtype=np.uint32, offset=1024)}).
 * </ul>
 * Each document is preceded by the end-of-text token when the tokenizer has one (the nanoGPT/llm.c convention).
 *
 * <p>{@code <split>.docs.idx} records where documents start: magic {@code "SATDOCS1"} (8 bytes), int32 version,
 * int64 document count n, then n+1 int64 offsets into the split's token stream (offset n = total tokens; a document
 * spans [offset i, offset i+1) including its leading end-of-text token), then an int64 CRC32 of all preceding bytes.
 * In numpy: {@code np.fromfile(f, dtype='<i8', offset=20)[:-1]}.
 */
public final class TokenShardFormat {
  public static final int HEADER_INTS = 256;
  public static final int HEADER_BYTES = HEADER_INTS * Integer.BYTES;
  public static final int MAGIC_UINT16 = 20240520;
  public static final int VERSION_UINT16 = 1;
  public static final int MAGIC_UINT32 = 20240801;
  public static final int VERSION_UINT32 = 7;

  public static final String FORMAT_NAME = "saturn-tokens";
  /** Version of the token artifact as a whole (shards + index + manifest fields). */
  public static final int FORMAT_VERSION = 1;

  public static final byte[] DOCS_MAGIC = {'S', 'A', 'T', 'D', 'O', 'C', 'S', '1'};
  public static final int DOCS_VERSION_START = 1;
  public static final int DOCS_VERSION_CURRENT = 1;
  public static final int DOCS_HEADER_BYTES = 8 + 4 + 8;

  /** llm.c writes 100M tokens per shard; so do we by default. */
  public static final long DEFAULT_TOKENS_PER_SHARD = 100_000_000L;
  /** Largest vocabulary that fits the uint16 layout. */
  public static final int MAX_UINT16_VOCAB = 1 << 16;

  public static final String TRAIN = "train";
  public static final String VAL = "val";

  private TokenShardFormat() {}

  public static String shardName(String split, int index) {
    return String.format("%s_%06d.bin", split, index);
  }

  public static String docsName(String split) {
    return split + ".docs.idx";
  }

  public static boolean needsUint32(int vocabSize) {
    return vocabSize > MAX_UINT16_VOCAB;
  }
}
