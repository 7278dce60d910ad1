package saturn.runs.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
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
import saturn.runs.watch.Schedule;
import saturn.runs.watch.Watcher;

/** {@code saturn watch DIR --spec SPEC.yaml (--once | --every 6h | --cron "0 3 * * *")}. */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Reprocess a folder of corpora on a schedule: new or changed corpora (by content hash) are ingested, "
        + "merged into the previous n-grams and carried downstream; unchanged work is found, not redone.",
        "Each top-level file or folder of DIR is one corpus. Passes never overlap (a lock file per DIR); every pass is "
            + "recorded in the run registry."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:pass done (or skipped because another pass holds the lock)", "3:bad spec or folder",
        "6:a stage failed in the pass"})
public final class WatchCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Parameters(paramLabel = "DIR", description = "Folder new corpora arrive in.")
  Path dir;

  @Option(names = "--spec", required = true, paramLabel = "SPEC.yaml",
      description = "Tokenizers, n-gram, spectra, models, eval settings; its corpora: entry (if any) gives ingest options.")
  Path spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  When when;

  static final class When {
    @Option(names = "--once", description = "One pass, then exit (for cron or a systemd timer).")
    boolean once;

    @Option(names = "--every", paramLabel = "DURATION", description = "A pass now and then every DURATION (90s, 30m, 6h, 1d).")
    String every;

    @Option(names = "--cron", paramLabel = "EXPR", description = "A pass at the times of a Unix cron expression, e.g. \"0 3 * * *\".")
    String cron;
  }

  @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Stages run at once (default: the spec's).")
  Integer jobs;

  @Option(names = "--memory", paramLabel = "SIZE", description = "Memory budget, e.g. 8g (default: the spec's).")
  String memory;

  @Override
  public Integer call() throws Exception {
    RunSpec s = SpecParser.parse(spec);
    Workspace w = ws.open();
    Schedule schedule = when.once ? null : when.every != null ? Schedule.every(when.every) : Schedule.cron(when.cron);
    Pipeline.Settings settings = new Pipeline.Settings(jobs, memory == null ? null : saturn.stage.ByteSize.parse(memory).bytes(), true, "watch");
    Watcher watcher = new Watcher(w, new SaturnStages(), System.out);
    if (schedule == null) {
      Watcher.PassResult r = watcher.pass(dir, s, settings);
      return r == null || r.status().equals("done") ? ExitCodes.OK : ExitCodes.STAGE_FAILED;
    }
    ZonedDateTime next = when.cron != null ? schedule.next(ZonedDateTime.now()) : ZonedDateTime.now();
    while (true) {
      long waitMillis = Duration.between(ZonedDateTime.now(), next).toMillis();
      if (waitMillis > 0) {
        System.out.println("watch: next pass at " + next + " (" + schedule + ")");
        Thread.sleep(waitMillis);
      }
      ZonedDateTime started = ZonedDateTime.now();
      try {
        watcher.pass(dir, SpecParser.parse(spec), settings); // re-read: the spec may be edited between passes
      } catch (java.io.IOException | IllegalArgumentException e) {
        System.err.println("watch: pass failed: " + Main.oneLine(e) + "; trying again at the next scheduled time");
      }
      next = schedule.next(started);
      while (!next.isAfter(ZonedDateTime.now())) next = schedule.next(next); // a long pass skips missed slots
    }
  }
}
