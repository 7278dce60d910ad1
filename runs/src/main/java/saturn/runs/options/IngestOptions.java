package saturn.runs.options;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import saturn.ingest.IngestSpec;
import saturn.ingest.read.InputFormat;
import saturn.ingest.read.ReadOptions;

/** The settings of {@code saturn ingest} (and of a corpus' {@code ingest:} mapping in a run spec). */
public final class IngestOptions {
  @Option(names = "--val-fraction", paramLabel = "F", description = "Share of documents in the validation split (default: ${DEFAULT-VALUE}).")
  Double valFraction;

  @Option(names = "--seed", description = "Seed of the train/val split (default: ${DEFAULT-VALUE}).")
  Long seed;

  @Option(names = "--text-field", paramLabel = "KEY", description = "JSONL key / Arrow or Parquet column holding the text (default: ${DEFAULT-VALUE}).")
  String textField;

  @Option(names = "--split-txt", paramLabel = "file|line|paragraph", description = "What a document is in a .txt file (default: ${DEFAULT-VALUE}).")
  ReadOptions.SplitTxt splitTxt;

  @Option(names = "--encoding", paramLabel = "CHARSET", description = "Encoding of txt/jsonl/line-doc files, e.g. latin1 (default: ${DEFAULT-VALUE}).")
  String encoding;

  @Option(names = "--strict", arity = "0..1", description = "Fail on invalid bytes instead of replacing them with U+FFFD and counting them.")
  Boolean strict;

  @Option(names = "--bad-records", paramLabel = "fail|skip",
      description = "Malformed JSONL/line-doc lines, missing or null text: fail, or skip and count with line numbers (default: ${DEFAULT-VALUE}).")
  ReadOptions.BadRecords badRecords;

  @Option(names = "--skip-bad-files", arity = "0..1", description = "Go on past unreadable or damaged (truncated) files, keeping what was read; they are listed.")
  Boolean skipBadFiles;

  @Option(names = "--format", paramLabel = "txt|jsonl|arrow|parquet|linedoc",
      description = "Read every input as this format instead of guessing from the extension.")
  InputFormat format;

  @Option(names = "--tokens-per-shard", paramLabel = "N", description = "Tokens per .bin shard (default: ${DEFAULT-VALUE}).")
  Long tokensPerShard;

  @Option(names = "--chunk-chars", paramLabel = "N", description = "Documents longer than this are tokenized in pieces cut between words (default: ${DEFAULT-VALUE}).")
  Integer chunkChars;

  /** The spec for these inputs and tokenizer with the options given (builder defaults for the rest). */
  public IngestSpec toSpec(List<String> inputs, String tokenizer) {
    IngestSpec.Builder b = IngestSpec.builder().setInputs(inputs).setTokenizer(tokenizer);
    if (valFraction != null) b.optValFraction(valFraction);
    if (seed != null) b.optSeed(seed);
    if (textField != null) b.optTextField(textField);
    if (splitTxt != null) b.optSplitTxt(splitTxt);
    if (encoding != null) b.optEncoding(encoding);
    if (strict != null) b.optStrict(strict);
    if (badRecords != null) b.optBadRecords(badRecords);
    if (skipBadFiles != null) b.optSkipBadFiles(skipBadFiles);
    if (format != null) b.optFormat(format);
    if (tokensPerShard != null) b.optTokensPerShard(tokensPerShard);
    if (chunkChars != null) b.optChunkChars(chunkChars);
    return b.build();
  }

  /** Defaults for --help, from {@link IngestSpec}'s builder. */
  public static final class Defaults extends SpecDefaults {
    public Defaults() {
      super(IngestSpec.builder().setInputs("corpus").setTokenizer("gpt2").build(), Map.of());
    }
  }
}
