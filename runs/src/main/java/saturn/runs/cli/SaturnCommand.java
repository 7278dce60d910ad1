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
    exitCodeListHeading = "%nExit codes (every command):%n",
    exitCodeList = {
      "0:ok",
      "1:internal error (rerun with --verbose for the trace)",
      "2:usage error (the command line is wrong)",
      "3:bad input: a file, value or option named in the message; nothing was written",
      "4:corrupt artifact or file (run `saturn artifacts verify`)",
      "5:refused: the work does not fit the memory budget (raise --memory)",
      "6:a pipeline stage failed (`saturn runs show latest` has the error)",
      "7:out of memory while working (raise the JVM heap: SATURN_JAVA_OPTS=-Xmx...)"
    })
public final class SaturnCommand implements Runnable {
  @Spec CommandSpec spec;
  @Mixin GlobalOptions global = new GlobalOptions();

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static CommandLine commandLine() {
    return new CommandLine(new SaturnCommand());
  }
}
