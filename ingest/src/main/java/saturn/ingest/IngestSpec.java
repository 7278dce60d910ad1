package saturn.ingest;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Objects;
import saturn.ingest.read.ReadOptions;

/**
 * What the ingest stage makes: which corpus files, which tokenizer, and every setting that changes the tokens.
 * Immutable and validated; build with {@link #builder()}.
 *
 * @param inputs files, directories and globs (a directory is read recursively; files in it whose extension is not a
 *     corpus format are skipped and listed)
 * @param tokenizer {@code gpt2}, a tokenizer.json path (or a directory holding one), or a Hugging Face hub id
 * @param valFraction share of documents in the validation split, in [0, 1)
 * @param seed seeds the document-level train/validation split
 * @param textField JSONL key or Arrow/Parquet column with the text
 * @param splitTxt what a document is in a .txt file
 * @param encoding charset of txt/jsonl/line-doc files (Arrow and Parquet strings are UTF-8 by definition)
 * @param strict fail on invalid bytes instead of replacing and counting them
 * @param badRecords malformed JSONL/line-doc lines and null texts: fail, or skip and count
 * @param skipBadFiles keep going past unreadable or damaged files (listed in the statistics) instead of failing
 * @param format read every input as this format instead of guessing from the extension (null: by extension)
 * @param tokensPerShard tokens per .bin shard file
 * @param chunkChars documents longer than this are tokenized in pieces cut at a space between two words
 */
public record IngestSpec(
    List<String> inputs,
    String tokenizer,
    double valFraction,
    long seed,
    String textField,
    ReadOptions.SplitTxt splitTxt,
    String encoding,
    boolean strict,
    ReadOptions.BadRecords badRecords,
    boolean skipBadFiles,
    saturn.ingest.read.InputFormat format,
    long tokensPerShard,
    int chunkChars) implements saturn.stage.StageSpec {

  public static final double DEFAULT_VAL_FRACTION = 0.005;
  public static final long DEFAULT_SEED = 1337;
  public static final int DEFAULT_CHUNK_CHARS = 1 << 18;

  public IngestSpec {
    inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
    if (inputs.isEmpty()) throw new IllegalArgumentException("no corpus given; pass files, directories or globs");
    Objects.requireNonNull(tokenizer, "tokenizer");
    if (!(valFraction >= 0 && valFraction < 1)) {
      throw new IllegalArgumentException("--val-fraction " + valFraction + " is outside [0, 1); pass e.g. 0.005");
    }
    if (textField == null || textField.isBlank()) throw new IllegalArgumentException("--text-field is empty; pass the key holding the text");
    Objects.requireNonNull(splitTxt, "splitTxt");
    Objects.requireNonNull(badRecords, "badRecords");
    try {
      encoding = Charset.forName(encoding).name();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--encoding " + encoding + " is not a charset this JVM knows; pass UTF-8, latin1 (ISO-8859-1), windows-1252, ...");
    }
    if (tokensPerShard < 1 || tokensPerShard > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("tokens per shard must be in [1, 2^31): " + tokensPerShard);
    }
    if (chunkChars < 1024) throw new IllegalArgumentException("chunkChars must be at least 1024: " + chunkChars);
  }

  /** Ingest reads files, not artifacts. */
  @Override
  public List<String> inputIds() {
    return List.of();
  }

  public static Builder builder() {
    return new Builder();
  }

  public ReadOptions readOptions() {
    return new ReadOptions(textField, splitTxt, Charset.forName(encoding), strict, badRecords);
  }

  /** Builder: {@code set*} for required settings, {@code opt*} for the rest; validated in {@link #build()}. */
  public static final class Builder {
    private List<String> inputs = List.of();
    private String tokenizer;
    private double valFraction = DEFAULT_VAL_FRACTION;
    private long seed = DEFAULT_SEED;
    private String textField = "text";
    private ReadOptions.SplitTxt splitTxt = ReadOptions.SplitTxt.FILE;
    private String encoding = "UTF-8";
    private boolean strict;
    private ReadOptions.BadRecords badRecords = ReadOptions.BadRecords.FAIL;
    private boolean skipBadFiles;
    private saturn.ingest.read.InputFormat format;
    private long tokensPerShard = saturn.ingest.format.TokenShardFormat.DEFAULT_TOKENS_PER_SHARD;
    private int chunkChars = DEFAULT_CHUNK_CHARS;

    public Builder setInputs(List<String> v) { inputs = v; return this; }
    public Builder setInputs(String... v) { inputs = List.of(v); return this; }
    public Builder setTokenizer(String v) { tokenizer = v; return this; }
    public Builder optValFraction(double v) { valFraction = v; return this; }
    public Builder optSeed(long v) { seed = v; return this; }
    public Builder optTextField(String v) { textField = v; return this; }
    public Builder optSplitTxt(ReadOptions.SplitTxt v) { splitTxt = v; return this; }
    public Builder optEncoding(String v) { encoding = v; return this; }
    public Builder optStrict(boolean v) { strict = v; return this; }
    public Builder optBadRecords(ReadOptions.BadRecords v) { badRecords = v; return this; }
    public Builder optSkipBadFiles(boolean v) { skipBadFiles = v; return this; }
    public Builder optFormat(saturn.ingest.read.InputFormat v) { format = v; return this; }
    public Builder optTokensPerShard(long v) { tokensPerShard = v; return this; }
    public Builder optChunkChars(int v) { chunkChars = v; return this; }

    public IngestSpec build() {
      if (tokenizer == null) throw new IllegalArgumentException("no tokenizer; pass --tokenizer gpt2, a tokenizer.json path or a hub id");
      return new IngestSpec(inputs, tokenizer, valFraction, seed, textField, splitTxt, encoding, strict, badRecords,
          skipBadFiles, format, tokensPerShard, chunkChars);
    }
  }
}
