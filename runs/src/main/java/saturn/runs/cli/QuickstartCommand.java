package saturn.runs.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import saturn.artifact.Workspace;
import saturn.runs.Pipeline;
import saturn.runs.Quickstart;
import saturn.runs.SaturnStages;
import saturn.runs.spec.RunSpec;
import saturn.runs.spec.Durations;

/**
 * {@code saturn quickstart}: the whole pipeline on the embedded Europarl corpus and the built-in gpt2 tokenizer —
 * {@code runs/examples/quickstart.yaml} run by the pipeline runner — then prints where the report is.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = {"Run the whole pipeline on the embedded default corpus (Europarl) with the built-in gpt2 tokenizer: "
        + "ingest, 5-gram W, its spectrum up to rank 1024, two tiny models (softmax and stablemax heads), eval, report. "
        + "Offline; about 10 minutes on 2 cores the first time, seconds after that.",
        "It is runs/examples/quickstart.yaml; `saturn run` takes any other spec."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done; the report's path is printed", "6:a stage failed (`saturn runs show latest`)"})
public final class QuickstartCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Option(names = "--dry-run", description = "Print the plan (cached / will run, estimated cost) and run nothing.")
  boolean dryRun;

  @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Stages run at once (default: the spec's, 2).")
  Integer jobs;

  @Option(names = "--memory", paramLabel = "SIZE", description = "Memory budget, e.g. 6g (default: the spec's).")
  String memory;

  @Override
  public Integer call() throws Exception {
    Workspace w = ws.open();
    RunSpec spec = Quickstart.spec(w);
    Pipeline p = new Pipeline(w, new SaturnStages(), System.out);
    Pipeline.Settings settings = new Pipeline.Settings(jobs, memory == null ? null : saturn.stage.ByteSize.parse(memory).bytes(), true, "quickstart");
    if (dryRun) {
      p.dryRun(spec, settings);
      return ExitCodes.OK;
    }
    Pipeline.Outcome o = p.run(spec, settings);
    if (o.report() != null) {
      System.out.println();
      System.out.println("open the report: " + o.report().toUri());
      System.out.println("summary:         " + o.report().resolveSibling("report.md"));
      System.out.println("compare later runs with `saturn report " + o.runId() + " RUN`; the registry: `saturn runs show " + o.runId() + "`");
    }
    return o.result().ok() ? ExitCodes.OK : ExitCodes.STAGE_FAILED;
  }
}
