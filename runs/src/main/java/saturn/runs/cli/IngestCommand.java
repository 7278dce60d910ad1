package saturn.runs.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import saturn.artifact.Artifact;
import saturn.ingest.ConsoleProgress;
import saturn.ingest.IngestSpec;
import saturn.ingest.IngestStage;
import saturn.ingest.read.InputFormat;
import saturn.ingest.read.ReadOptions;

/** {@code saturn ingest CORPUS… --tokenizer …}: raw corpora in, token shards out. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Tokenize corpora into llm.c/nanoGPT token shards (train/val split by document).",
        "CORPUS: files, directories or globs of .txt, .jsonl, .arrow (HF datasets), .parquet, .lines.txt (Lucene line-doc),"
            + " each optionally .gz or .zst."})
public final class IngestCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Parameters(paramLabel = "CORPUS", arity = "1..*", description = "Files, directories or quoted globs.")
  List<String> inputs;

  @Option(names = "--tokenizer", required = true, paramLabel = "gpt2|PATH|HUB_ID",
      description = "gpt2 (built in, offline), a tokenizer.json or a directory holding one, or a Hugging Face hub id.")
  String tokenizer;

  @Option(names = "--val-fraction", paramLabel = "F", defaultValue = "" + IngestSpec.DEFAULT_VAL_FRACTION,
      description = "Share of documents in the validation split (default: ${DEFAULT-VALUE}).")
  double valFraction;

  @Option(names = "--seed", defaultValue = "" + IngestSpec.DEFAULT_SEED, description = "Seed of the train/val split (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--text-field", defaultValue = "text", paramLabel = "KEY",
      description = "JSONL key / Arrow or Parquet column holding the text (default: ${DEFAULT-VALUE}).")
  String textField;

  @Option(names = "--split-txt", defaultValue = "file", paramLabel = "file|line|paragraph",
      description = "What a document is in a .txt file (default: ${DEFAULT-VALUE}).")
  String splitTxt;

  @Option(names = "--encoding", defaultValue = "UTF-8", paramLabel = "CHARSET",
      description = "Encoding of txt/jsonl/line-doc files, e.g. latin1 (default: ${DEFAULT-VALUE}).")
  String encoding;

  @Option(names = "--strict", description = "Fail on invalid bytes instead of replacing them with U+FFFD and counting them.")
  boolean strict;

  @Option(names = "--bad-records", defaultValue = "fail", paramLabel = "fail|skip",
      description = "Malformed JSONL/line-doc lines, missing or null text: fail, or skip and count with line numbers (default: ${DEFAULT-VALUE}).")
  String badRecords;

  @Option(names = "--skip-bad-files", description = "Go on past unreadable or damaged (truncated) files, keeping what was read; they are listed.")
  boolean skipBadFiles;

  @Option(names = "--format", paramLabel = "txt|jsonl|arrow|parquet|linedoc",
      description = "Read every input as this format instead of guessing from the extension.")
  String format;

  @Option(names = "--tokens-per-shard", defaultValue = "100000000", paramLabel = "N", description = "Tokens per .bin shard (default: ${DEFAULT-VALUE}).")
  long tokensPerShard;

  @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "Tokenizer threads; 0 = one per core (default). Does not change the output.")
  int threads;

  @Override
  public Integer call() throws Exception {
    IngestSpec config = IngestSpec.builder()
        .setInputs(inputs)
        .setTokenizer(tokenizer)
        .optValFraction(valFraction)
        .optSeed(seed)
        .optTextField(textField)
        .optSplitTxt(parse(ReadOptions.SplitTxt.class, splitTxt, "--split-txt"))
        .optEncoding(encoding)
        .optStrict(strict)
        .optBadRecords(parse(ReadOptions.BadRecords.class, badRecords, "--bad-records"))
        .optSkipBadFiles(skipBadFiles)
        .optFormat(format == null ? null : parse(InputFormat.class, format, "--format"))
        .optTokensPerShard(tokensPerShard)
        .optThreads(threads)
        .build();
    Artifact a = IngestStage.run(ws.open(), config, ConsoleProgress.forStderr());
    System.out.println(a.id());
    System.out.println(a.dir());
    return ExitCodes.OK;
  }

  static <E extends Enum<E>> E parse(Class<E> type, String value, String option) {
    for (E e : type.getEnumConstants()) if (e.name().equalsIgnoreCase(value)) return e;
    throw new IllegalArgumentException(option + " " + value + " is not one of "
        + java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase()).toList());
  }
}
