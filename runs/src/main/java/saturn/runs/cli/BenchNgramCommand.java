package saturn.runs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import saturn.ngram.NgramBenchmark;

/** {@code saturn bench ngram}: one JSON line per case. */
@Command(name = "ngram", mixinStandardHelpOptions = true,
    description = {"Benchmark the n-gram count: the shared corpora (gpt2), optionally the built-in Europarl sample,"
        + " generated text-like streams (distinct n-grams growing as in real text), optionally 1B tokens.",
        "In process (default): times the Unix pipeline (emit | LC_ALL=C sort -S 1G --parallel=2 | uniq -c) on the same"
        + " stream. With --kenlm or --paired: whole `saturn ngram` processes against KenLM's count_ngrams, alternating.",
        "Prints one JSON line per case."})
public final class BenchNgramCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Option(names = "--shared", paramLabel = "DIR", description = "Directory with corpora/ and tokenizers/gpt2/ (default: $SATURN_SHARED, else ../shared of the saturn checkout).")
  Path shared;

  @Option(names = "--order", defaultValue = "5", description = "N-gram order (default: ${DEFAULT-VALUE}).")
  int order;

  @Option(names = "--memory", defaultValue = "2g", description = "Memory budget of the corpora and generated cases (default: ${DEFAULT-VALUE}).")
  String memory;

  @Option(names = "--generated-tokens", defaultValue = "100000000", split = ",",
      description = "Tokens of the generated cases, comma-separated, e.g. 30000000,300000000 (default: ${DEFAULT-VALUE}).")
  List<Long> generated;

  @Option(names = "--europarl", description = "Also the built-in Europarl sample (7.7M gpt2 tokens).")
  boolean europarl;

  @Option(names = "--kenlm", paramLabel = "COUNT_NGRAMS",
      description = "KenLM's count_ngrams binary (ngram/bench/build-kenlm.sh builds one): paired runs against it.")
  Path kenlm;

  @Option(names = "--paired", paramLabel = "N",
      description = "Whole-process runs of each program per case, alternating (default: 5 with --kenlm, else in process).")
  Integer paired;

  @Option(names = "--with-1b", description = "Also run 1B generated tokens with --memory-1b (long).")
  boolean withBillion;

  @Option(names = "--memory-1b", defaultValue = "1g", description = "Memory budget of the 1B case (default: ${DEFAULT-VALUE}).")
  String memoryBillion;

  @Option(names = "--pipeline-max-tokens", defaultValue = "200000000",
      description = "Time the Unix pipeline only on streams up to this many tokens (default: ${DEFAULT-VALUE}).")
  long pipelineMax;

  @Option(names = "--queries", defaultValue = "2000", description = "Queries timed per case (default: ${DEFAULT-VALUE}).")
  int queries;

  @Option(names = "--threads", description = "Counting threads (default: the number of cores).")
  Integer threads;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated streams and queries (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    Path sh = shared;
    if (sh == null) {
      String env = System.getenv("SATURN_SHARED");
      String home = System.getProperty("saturn.home");
      sh = env != null ? Path.of(env) : home != null ? Path.of(home).resolve("../shared").normalize() : Path.of("../shared");
    }
    if (kenlm != null && !Files.isExecutable(kenlm)) {
      throw new IllegalArgumentException("--kenlm " + kenlm + " is not an executable file; build count_ngrams with"
          + " ngram/bench/build-kenlm.sh");
    }
    int runs = paired != null ? paired : kenlm != null ? 5 : 0;
    if (runs < 0) throw new IllegalArgumentException("--paired must be >= 0: " + runs);
    if (kenlm == null) {
      System.err.println("bench ngram: no KenLM given (--kenlm PATH to count_ngrams; ngram/bench/build-kenlm.sh builds it)"
          + (runs > 0 ? "; the paired runs time saturn alone" : "; no KenLM comparison"));
    }
    NgramBenchmark.Options o = new NgramBenchmark.Options(ws.open().root(), sh, order, saturn.stage.ByteSize.parse(memory).bytes(),
        generated, withBillion, saturn.stage.ByteSize.parse(memoryBillion).bytes(), pipelineMax, queries,
        threads != null ? threads : Runtime.getRuntime().availableProcessors(), seed, kenlm, runs, europarl);
    new NgramBenchmark(o, line -> {
      System.out.println(line);
      System.out.flush();
    }, msg -> System.err.println("bench ngram: " + msg)).run();
    return ExitCodes.OK;
  }
}
