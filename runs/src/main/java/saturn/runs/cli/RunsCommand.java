package saturn.runs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import saturn.artifact.Json;
import saturn.runs.plan.Metric;
import saturn.runs.registry.Registry;
import saturn.runs.spec.Durations;

/** {@code saturn runs list | show RUN | diff RUN RUN}: the run registry. */
@Command(name = "runs", mixinStandardHelpOptions = true,
    description = "The run registry (registry.sqlite in the workspace): list runs, show one, diff two.",
    subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class, RunsCommand.Diff.class})
public final class RunsCommand {

  @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per run, newest first.")
  static final class ListRuns implements Callable<Integer> {
    @Mixin WorkspaceOption ws;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many runs (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws Exception {
      try (Registry r = Registry.open(ws.openExisting())) {
        List<Registry.RunRow> runs = r.runs(limit);
        if (runs.isEmpty()) {
          System.out.println("no runs in " + r.file() + "; `saturn run SPEC.yaml` starts one");
          return ExitCodes.OK;
        }
        System.out.printf(Locale.ROOT, "%-5s %-20s %-11s %-12s %-25s %9s  %s%n", "RUN", "NAME", "KIND", "STATUS", "STARTED", "TIME", "STAGES");
        for (Registry.RunRow run : runs) {
          System.out.printf(Locale.ROOT, "%-5d %-20s %-11s %-12s %-25s %9s  %s%n", run.id(), run.name(), run.kind(), run.status(),
              run.startedAt(), run.seconds() == null ? "" : Durations.formatSeconds(run.seconds()), counts(r.stages(run.id())));
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "A run's stages, artifacts, timings and errors.")
  static final class Show implements Callable<Integer> {
    @Mixin WorkspaceOption ws;

    @Parameters(paramLabel = "RUN", description = "Run id from `saturn runs list`, or latest.")
    String run;

    @Option(names = "--trace", description = "Print full stack traces of failed stages.")
    boolean trace;

    @Override
    public Integer call() throws Exception {
      try (Registry r = Registry.open(ws.openExisting())) {
        Registry.RunRow run = r.resolve(this.run);
        System.out.printf(Locale.ROOT, "run %d  %s (%s)  %s%n", run.id(), run.name(), run.kind(), run.status().toUpperCase(Locale.ROOT));
        System.out.printf(Locale.ROOT, "  spec      %s (sha256 %s)%n", run.specPath(), run.specHash());
        System.out.printf(Locale.ROOT, "  started   %s on %s (pid %d)%n", run.startedAt(), run.host(), run.pid());
        if (run.finishedAt() != null) {
          System.out.printf(Locale.ROOT, "  finished  %s (%s%s)%n", run.finishedAt(), Durations.formatSeconds(run.seconds()),
              run.cpuSeconds() == null ? "" : ", " + Durations.formatSeconds(run.cpuSeconds()) + " of CPU time");
        }
        System.out.printf(Locale.ROOT, "  jobs %d, memory %s%s%n", run.jobs(), saturn.stage.ByteSize.format(run.memoryBytes()),
            run.resumes() != null ? ", resumes run " + run.resumes() : "");
        if (run.error() != null) System.out.println("  error     " + run.error());
        System.out.printf(Locale.ROOT, "%n  %-46s %-11s %-30s %9s%n", "STAGE", "STATUS", "ARTIFACT", "TIME");
        for (Registry.StageRow s : r.stages(run.id())) {
          System.out.printf(Locale.ROOT, "  %-46s %-11s %-30s %9s%n", s.label(), s.status(), s.artifactId() == null ? "" : s.artifactId(),
              s.seconds() == null ? "" : Durations.formatSeconds(s.seconds()));
          if (s.error() != null) {
            if (trace) s.error().lines().forEach(l -> System.out.println("      " + l));
            else System.out.println("      " + s.error().lines().findFirst().orElse(""));
          }
        }
        List<Registry.MetricRow> metrics = r.metrics(run.id());
        if (!metrics.isEmpty()) {
          System.out.printf(Locale.ROOT, "%n  %-46s %-24s %8s %14s%n", "STAGE", "METRIC", "POINTS", "LAST");
          for (Registry.MetricRow m : metrics) {
            System.out.printf(Locale.ROOT, "  %-46s %-24s %8d %14.6g%n", m.label(), m.metric().name() + labelSuffix(m.metric()),
                m.metric().y().length, m.metric().last());
          }
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "diff", mixinStandardHelpOptions = true,
      description = "What differs between two runs: spec, stages, configs, artifacts and final metric values.")
  static final class Diff implements Callable<Integer> {
    @Mixin WorkspaceOption ws;

    @Parameters(index = "0", paramLabel = "RUN_A")
    String a;

    @Parameters(index = "1", paramLabel = "RUN_B")
    String b;

    @Override
    public Integer call() throws Exception {
      try (Registry r = Registry.open(ws.openExisting())) {
        Registry.RunRow ra = r.resolve(a);
        Registry.RunRow rb = r.resolve(b);
        System.out.printf(Locale.ROOT, "--- run %d (%s, %s)%n+++ run %d (%s, %s)%n", ra.id(), ra.name(), ra.status(), rb.id(), rb.name(), rb.status());
        if (!Objects.equals(ra.specHash(), rb.specHash())) System.out.println("spec differs: " + ra.specPath() + " vs " + rb.specPath());
        Map<String, Registry.StageRow> sa = byLabel(r.stages(ra.id()));
        Map<String, Registry.StageRow> sb = byLabel(r.stages(rb.id()));
        int differences = 0;
        System.out.println("\nstages:");
        for (String label : new TreeSet<>(union(sa.keySet(), sb.keySet()))) {
          Registry.StageRow x = sa.get(label);
          Registry.StageRow y = sb.get(label);
          if (x == null || y == null) {
            System.out.println((x == null ? "  + " : "  - ") + label + (x == null ? " (only in run " + rb.id() + ")" : " (only in run " + ra.id() + ")"));
            differences++;
            continue;
          }
          List<String> changes = configChanges(Json.MAPPER.readTree(x.config()), Json.MAPPER.readTree(y.config()), "");
          boolean sameArtifact = Objects.equals(x.artifactId(), y.artifactId());
          if (changes.isEmpty() && sameArtifact) continue;
          differences++;
          System.out.println("  ~ " + label + (sameArtifact ? "" : "  artifact " + x.artifactId() + " -> " + y.artifactId()));
          for (String c : changes) System.out.println("      " + c);
        }
        System.out.println("\nmetrics (final values):");
        Map<String, Metric> ma = metricsByKey(r.metrics(ra.id()));
        Map<String, Metric> mb = metricsByKey(r.metrics(rb.id()));
        int metricDiffs = 0;
        for (String k : new TreeSet<>(union(ma.keySet(), mb.keySet()))) {
          Metric x = ma.get(k);
          Metric y = mb.get(k);
          double vx = x == null ? Double.NaN : x.last();
          double vy = y == null ? Double.NaN : y.last();
          if (Double.compare(vx, vy) == 0) continue;
          metricDiffs++;
          System.out.printf(Locale.ROOT, "  %-70s %12.6g -> %12.6g  (%+.6g)%n", k, vx, vy, vy - vx);
        }
        if (metricDiffs == 0) System.out.println("  (none differ)");
        if (differences == 0) System.out.println("\nno stage differs in config or artifact");
      }
      return ExitCodes.OK;
    }
  }

  static List<String> configChanges(JsonNode a, JsonNode b, String path) {
    List<String> out = new ArrayList<>();
    if (a != null && b != null && a.isObject() && b.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) out.addAll(configChanges(a.get(k), b.get(k), path.isEmpty() ? k : path + "." + k));
      return out;
    }
    if (!Objects.equals(a, b)) out.add(path + ": " + (a == null ? "(absent)" : a.toString()) + " -> " + (b == null ? "(absent)" : b.toString()));
    return out;
  }

  private static Map<String, Registry.StageRow> byLabel(List<Registry.StageRow> rows) {
    Map<String, Registry.StageRow> m = new LinkedHashMap<>();
    for (Registry.StageRow s : rows) m.put(s.label(), s);
    return m;
  }

  private static Map<String, Metric> metricsByKey(List<Registry.MetricRow> rows) {
    Map<String, Metric> m = new TreeMap<>();
    for (Registry.MetricRow r : rows) m.put(r.label() + " " + r.metric().name() + labelSuffix(r.metric()), r.metric());
    return m;
  }

  private static String labelSuffix(Metric m) {
    String step = m.labels().get("step");
    return step == null ? "" : "@" + step;
  }

  private static <T> java.util.Set<T> union(java.util.Set<T> a, java.util.Set<T> b) {
    java.util.Set<T> u = new java.util.LinkedHashSet<>(a);
    u.addAll(b);
    return u;
  }

  static String counts(List<Registry.StageRow> st) {
    Map<String, Integer> c = new TreeMap<>();
    for (Registry.StageRow s : st) c.merge(s.status(), 1, Integer::sum);
    List<String> parts = new ArrayList<>();
    c.forEach((k, v) -> parts.add(v + " " + k));
    return String.join(", ", parts);
  }
}
