package saturn.runs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code saturn} command; every stage is a subcommand. */
@Command(name = "saturn", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Why small language models saturate: corpora -> tokens -> n-grams -> spectra; models -> checkpoints -> metrics.",
    subcommands = {
      // Each stage registers its commands under its own marker (keeps merges of parallel work clean).
      // ingest:
      QuickstartCommand.class,
      IngestCommand.class,
      BenchCommand.class, // `saturn bench ingest|ngram|spectra|train|eval`: the stages' Bench*Commands live there

      // ngram:
      NgramCommand.class,

      // spectra:
      SpectraCommand.class,

      // lmhead:
      TrainCommand.class,
      GrokCommand.class,

      // eval:
      EvalCommand.class,

      // runs:
      RunCommand.class,
      RunsCommand.class,
      WatchCommand.class,
      ReportCommand.class,

      ArtifactsCommand.class,
    },
    exitCodeListHeading = "%nExit codes (every command):%n")
public final class SaturnCommand implements Runnable {
  @Spec CommandSpec spec;
  @Mixin GlobalOptions global = new GlobalOptions();

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new SaturnCommand());
    java.util.Map<String, String> codes = new java.util.LinkedHashMap<>();
    for (String line : ExitCodes.LIST) codes.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1));
    cl.getCommandSpec().usageMessage().exitCodeList(codes);
    return cl;
  }
}
