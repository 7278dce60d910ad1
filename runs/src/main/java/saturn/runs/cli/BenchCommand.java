package saturn.runs.cli;

import picocli.CommandLine.Command;

/** {@code saturn bench <stage>}: whole-stage benchmarks, one JSON line per case. One Bench*Command per stage. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark a stage: one JSON line per case, with the ratio to a peer measured in the same run.",
    subcommands = {BenchIngestCommand.class, BenchNgramCommand.class, BenchSpectraCommand.class, BenchTrainCommand.class,
        BenchEvalCommand.class})
public final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
