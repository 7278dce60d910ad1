package saturn.runs.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import saturn.artifact.Workspace;
import saturn.runs.Pipeline;
import saturn.runs.SaturnStages;
import saturn.runs.spec.RunSpec;
import saturn.runs.spec.Durations;
import saturn.runs.spec.SpecParser;

/** {@code saturn run SPEC.yaml [--dry-run] [--jobs N] [--memory 8g]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every stage done or cached", "3:bad spec (the message names the line) or input",
        "6:a stage failed; the others' artifacts are kept and `saturn runs show latest` has the error"},
    description = {"Run a pipeline spec: ingest, n-grams, spectra, model sweep, eval and report.",
        "Stages whose artifacts exist are found, not recomputed: rerun a killed run to resume it, "
            + "or an edited spec to recompute only what changed."})
public final class RunCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Parameters(paramLabel = "SPEC.yaml", description = "The pipeline spec (see runs/examples/ and runs/README.md).")
  Path spec;

  @Option(names = "--dry-run", description = "Print the plan (cached / will run, estimated cost) and run nothing.")
  boolean dryRun;

  @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Stages run at once (default: the spec's execution.jobs).")
  Integer jobs;

  @Option(names = "--memory", paramLabel = "SIZE", description = "Memory budget shared by concurrent stages, e.g. 8g (default: the spec's execution.memory).")
  String memory;

  @Option(names = "--no-report", description = "Do not write the HTML/Markdown report at the end.")
  boolean noReport;

  @Override
  public Integer call() throws Exception {
    RunSpec s = SpecParser.parse(spec);
    Workspace w = ws.open();
    Long mem = memory == null ? null : saturn.stage.ByteSize.parse(memory).bytes();
    if (jobs != null && jobs < 1) throw new IllegalArgumentException("--jobs must be at least 1, got " + jobs);
    Pipeline p = new Pipeline(w, new SaturnStages(), System.out);
    Pipeline.Settings settings = new Pipeline.Settings(jobs, mem, !noReport, "run");
    if (dryRun) {
      p.dryRun(s, settings);
      return ExitCodes.OK;
    }
    Pipeline.Outcome o = p.run(s, settings);
    return o.result().ok() ? ExitCodes.OK : ExitCodes.STAGE_FAILED;
  }
}
