package saturn.runs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import saturn.artifact.Workspace;
import saturn.runs.plan.Plan;
import saturn.runs.plan.Planner;
import saturn.runs.plan.Runner;
import saturn.runs.plan.StageCatalog;
import saturn.runs.registry.Registry;
import saturn.runs.report.ReportWriter;
import saturn.runs.spec.RunSpec;
import saturn.runs.spec.Durations;

/**
 * {@code saturn run}: spec → plan → execution recorded in the registry → report. Rerunning a spec finds every stage
 * whose artifact is already published, so a killed run resumes where it stopped and an edited spec recomputes only
 * what its edit changed.
 */
public final class Pipeline {
  private final Workspace workspace;
  private final StageCatalog catalog;
  private final PrintStream out;

  public Pipeline(Workspace workspace, StageCatalog catalog, PrintStream out) {
    this.workspace = workspace;
    this.catalog = catalog;
    this.out = out;
  }

  /** Settings of one invocation; null jobs / memory take the spec's {@code execution:} values. */
  public record Settings(Integer jobs, Long memoryBytes, boolean report, String kind) {
    public static Settings defaults() {
      return new Settings(null, null, true, "run");
    }
  }

  /** What a run left behind. */
  public record Outcome(long runId, Runner.Result result, Path report) {}

  /** Prints what running the spec would do; runs nothing and records nothing. */
  public List<Runner.PlannedStage> dryRun(RunSpec spec, Settings settings) throws IOException {
    Plan plan = Planner.plan(spec, catalog);
    try (Registry registry = Registry.open(workspace)) {
      int jobs = settings.jobs() != null ? settings.jobs() : spec.execution().jobs();
      long memory = settings.memoryBytes() != null ? settings.memoryBytes() : spec.execution().memoryBytes();
      List<Runner.PlannedStage> preview = new Runner(workspace, registry, jobs, memory, out).preview(plan);
      out.printf(Locale.ROOT, "plan for %s (%s): %d stages, --jobs %d, --memory %s%n", spec.name(), spec.file(),
          plan.size(), jobs, saturn.stage.ByteSize.format(memory));
      double total = 0;
      int toRun = 0;
      for (Runner.PlannedStage p : preview) {
        boolean cached = p.state().equals("cached");
        if (!cached) {
          toRun++;
          total += p.estimatedSeconds();
        }
        out.printf(Locale.ROOT, "  %-8s %-44s %-30s %s%n", cached ? "cached" : "run", p.stage().label(),
            p.artifactId() != null ? p.artifactId() : "(id known when it runs)",
            cached ? "" : "~" + Durations.formatSeconds(p.estimatedSeconds()) + ", " + saturn.stage.ByteSize.format(p.memoryBytes()));
      }
      out.printf(Locale.ROOT, "%d cached, %d to run, ~%s of work (~%s wall with %d jobs)%n", preview.size() - toRun, toRun,
          Durations.formatSeconds(total), Durations.formatSeconds(total / Math.max(1, Math.min(jobs, Math.max(1, toRun)))), jobs);
      return preview;
    }
  }

  public Outcome run(RunSpec spec, Settings settings) throws IOException {
    Plan plan = Planner.plan(spec, catalog);
    return run(spec, plan, settings);
  }

  /** Runs an already made plan (watch passes plan with extra options) under a new run record. */
  public Outcome run(RunSpec spec, Plan plan, Settings settings) throws IOException {
    int jobs = settings.jobs() != null ? settings.jobs() : spec.execution().jobs();
    long memory = settings.memoryBytes() != null ? settings.memoryBytes() : spec.execution().memoryBytes();
    try (Registry registry = Registry.open(workspace)) {
      Optional<Registry.RunRow> previous = registry.latestRunOfSpec(spec.sha256());
      Long resumes = previous.filter(r -> !r.status().equals("done")).map(Registry.RunRow::id).orElse(null);
      Runner runner = new Runner(workspace, registry, jobs, memory, out);
      long runId = registry.startRun(new Registry.NewRun(spec.name(), settings.kind(), spec.file().toAbsolutePath().toString(),
          spec.sha256(), spec.text(), jobs, memory, resumes));
      out.printf(Locale.ROOT, "run %d: %s, %d stages, --jobs %d, --memory %s, workspace %s%s%n", runId, spec.name(), plan.size(),
          jobs, saturn.stage.ByteSize.format(memory), workspace.root(), resumes != null ? " (resumes run " + resumes + ", " + previous.get().status() + ")" : "");
      Runner.Result result = runner.execute(runId, plan);
      Path report = null;
      if (settings.report()) {
        report = ReportWriter.write(workspace, registry, List.of(runId), workspace.root().resolve("reports").resolve("run-" + runId), spec.report().title());
      }
      out.printf(Locale.ROOT, "run %d %s: %d done, %d cached, %d failed, %d skipped%n", runId, result.ok() ? "finished" : "FAILED",
          result.count(Runner.Outcome.DONE), result.count(Runner.Outcome.CACHED), result.count(Runner.Outcome.FAILED),
          result.count(Runner.Outcome.SKIPPED));
      if (report != null) out.println("report: " + report);
      return new Outcome(runId, result, report);
    }
  }
}
