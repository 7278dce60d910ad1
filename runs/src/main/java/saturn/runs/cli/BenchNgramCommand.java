package saturn.runs.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import saturn.ngram.NgramBenchmark;

/** {@code saturn bench ngram}: one JSON line per case. */
@Command(name = "ngram", mixinStandardHelpOptions = true,
    description = {"Benchmark the n-gram count: the shared corpora (gpt2), a generated bigram stream, optionally 1B tokens;"
        + " times the Unix pipeline (emit | LC_ALL=C sort -S 1G --parallel=2 | uniq -c) on the same stream.",
        "Prints one JSON line per case: tokens/s, distinct n-grams, peak RSS, bytes spilled, query latency, ratio."})
public final class BenchNgramCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Option(names = "--shared", paramLabel = "DIR", description = "Directory with corpora/ and tokenizers/gpt2/ (default: $SATURN_SHARED, else ../shared of the saturn checkout).")
  Path shared;

  @Option(names = "--order", defaultValue = "5", description = "N-gram order (default: ${DEFAULT-VALUE}).")
  int order;

  @Option(names = "--memory", defaultValue = "2g", description = "Memory budget of the corpora and generated cases (default: ${DEFAULT-VALUE}).")
  String memory;

  @Option(names = "--generated-tokens", defaultValue = "100000000", description = "Tokens of the generated case (default: ${DEFAULT-VALUE}).")
  long generated;

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
    NgramBenchmark.Options o = new NgramBenchmark.Options(ws.open().root(), sh, order, saturn.stage.ByteSize.parse(memory).bytes(),
        generated, withBillion, saturn.stage.ByteSize.parse(memoryBillion).bytes(), pipelineMax, queries,
        threads != null ? threads : Runtime.getRuntime().availableProcessors(), seed);
    new NgramBenchmark(o, line -> {
      System.out.println(line);
      System.out.flush();
    }, msg -> System.err.println("bench ngram: " + msg)).run();
    return ExitCodes.OK;
  }
}
