package saturn.runs.cli;

import picocli.CommandLine.Command;

/** {@code saturn bench <stage>}: whole-stage benchmarks, one JSON line per case. Stages add their Bench*Command here. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark a stage: one JSON line per case, with the ratio to a peer measured in the same run.",
    subcommands = {BenchIngestCommand.class, BenchEvalCommand.class})
public final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
