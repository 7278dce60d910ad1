package saturn.runs.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import saturn.artifact.Json;
import saturn.eval.EvalBench;

/**
 * {@code saturn bench eval}: one JSON line per case — evaluation tokens/s
 * for the tiny and pythia-14m shapes, head-spectrum time for a 50,304 × 512 head, Chinchilla fit time.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Benchmark the eval stage; prints one JSON line per case (eval tokens/s, head spectrum seconds, fit seconds).")
public final class BenchEvalCommand implements Callable<Integer> {
  @Option(names = "--eval-tokens", defaultValue = "4096", description = "Tokens scored per shape (default: ${DEFAULT-VALUE}).")
  int evalTokens;

  @Option(names = "--context", defaultValue = "512", description = "Window length (default: ${DEFAULT-VALUE}).")
  int context;

  @Option(names = "--threads", defaultValue = "0", description = "Tensor-engine threads (default: all cores).")
  int threads;

  @Option(names = "--fit-points", defaultValue = "100", description = "Points of the synthetic Chinchilla fit (default: ${DEFAULT-VALUE}).")
  int fitPoints;

  @Option(names = "--cases", split = ",", defaultValue = "eval,spectrum,fit", description = "Cases to run (default: ${DEFAULT-VALUE}).")
  List<String> cases;

  @Override
  public Integer call() {
    int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    EvalBench.run(new EvalBench.Options(evalTokens, context, t, fitPoints, cases),
        j -> System.out.println(Json.canonical(j)));
    return ExitCodes.OK;
  }
}
