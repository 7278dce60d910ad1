package saturn.runs.plan;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.runs.registry.Registry;
import saturn.runs.spec.Durations;
import saturn.stage.ByteSize;
import saturn.stage.MemoryBudgetException;
import saturn.stage.Resources;
import saturn.stage.StageContext;
import saturn.stage.StageListener;

/**
 * Executes a plan: each stage is first looked up in the workspace (its artifact id is a hash of its config and input
 * ids, so an unchanged stage is found, not recomputed); the others run in parallel, at most {@code jobs} at once and
 * within the memory budget. A failed stage skips what depends on it and leaves every other branch running. Everything
 * is recorded in the registry as it happens, so a killed run leaves a truthful record and a rerun resumes from the
 * artifacts that were published.
 */
public final class Runner {
  private final Workspace workspace;
  private final Registry registry;
  private final int jobs;
  private final long memoryBudgetBytes;
  private final PrintStream out;
  private final NodeListeners listeners;

  /** A runner whose stages' notes and progress go to {@code out}, one line each, prefixed with the node's label. */
  public Runner(Workspace workspace, Registry registry, int jobs, long memoryBudgetBytes, PrintStream out) {
    this(workspace, registry, jobs, memoryBudgetBytes, out, label -> new LabelledLines(out, label));
  }

  public Runner(Workspace workspace, Registry registry, int jobs, long memoryBudgetBytes, PrintStream out,
      NodeListeners listeners) {
    if (jobs < 1) throw new IllegalArgumentException("--jobs must be at least 1, got " + jobs);
    if (memoryBudgetBytes < 1) throw new IllegalArgumentException("--memory must be positive, got " + memoryBudgetBytes);
    this.workspace = workspace;
    this.registry = registry;
    this.jobs = jobs;
    this.memoryBudgetBytes = memoryBudgetBytes;
    this.out = out;
    this.listeners = listeners;
  }

  /** How a stage ended in a run. */
  public enum Outcome { CACHED, DONE, FAILED, SKIPPED }

  /** The result of one stage. */
  public record StageResult(String label, Outcome outcome, Artifact artifact, double seconds, String error,
      Throwable failure) {
    public StageResult(String label, Outcome outcome, Artifact artifact, double seconds, String error) {
      this(label, outcome, artifact, seconds, error, null);
    }
  }

  /** Gives each node the listener its stage reports to. */
  @FunctionalInterface
  public interface NodeListeners {
    StageListener forNode(String label);
  }

  /** The result of a run: per stage, in plan order. */
  public record Result(long runId, Map<String, StageResult> stages) {
    public boolean ok() {
      return stages.values().stream().allMatch(s -> s.outcome() == Outcome.CACHED || s.outcome() == Outcome.DONE);
    }

    public Artifact artifact(String label) {
      StageResult r = stages.get(label);
      return r == null ? null : r.artifact();
    }

    public long count(Outcome o) {
      return stages.values().stream().filter(s -> s.outcome() == o).count();
    }
  }

  /** One line of a dry run: what a stage would do. */
  public record PlannedStage(PlanNode stage, String state, String artifactId, double estimatedSeconds, long memoryBytes) {}

  /**
   * What running the plan would do, without running anything: a stage is {@code cached} when its inputs are known and
   * its artifact exists, {@code will run} otherwise. Estimates come from the registry's record of the same stage and
   * config where there is one, else from the stage's own estimate.
   */
  public List<PlannedStage> preview(Plan plan) throws IOException {
    Map<String, Artifact> known = new HashMap<>();
    List<PlannedStage> out = new ArrayList<>();
    for (PlanNode s : plan.stages()) {
      List<Artifact> inputs = new ArrayList<>();
      boolean inputsKnown = true;
      for (String in : s.inputs()) {
        Artifact a = known.get(in);
        if (a == null) inputsKnown = false; else inputs.add(a);
      }
      PlanNode.Estimate est = s.estimate();
      String state = "will run";
      String id = null;
      if (inputsKnown) {
        Optional<Artifact> a = published(s, inputs);
        id = a.map(Artifact::id).orElseGet(() -> identity(s, inputs));
        if (a.isPresent()) {
          known.put(s.label(), a.get());
          state = "cached";
        }
      }
      double secs = state.equals("cached") ? 0 : registry.pastSeconds(s.kind(), s.config()).orElse(est.seconds());
      out.add(new PlannedStage(s, state, id, secs, est.memoryBytes()));
    }
    return out;
  }

  /** The id a node would make, for a dry run; null when its inputs cannot be read yet. */
  private String identity(PlanNode s, List<Artifact> inputs) {
    try {
      return s.identify(workspace, inputs).id();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The node's artifact when it is already published: looked up by the identity its inputs and spec give. */
  private Optional<Artifact> published(PlanNode s, List<Artifact> inputs) throws IOException {
    if (s instanceof ExistingArtifact e) return Optional.of(workspace.byId(e.artifactId()));
    return workspace.find(s.identify(workspace, inputs));
  }

  /** Runs the plan under an existing run record (see {@link Registry#startRun}); finishes the record. */
  public Result execute(long runId, Plan plan) throws IOException {
    List<PlanNode> stages = plan.stages();
    for (PlanNode s : stages) memoryFor(s); // a node that can never fit the budget is refused before anything runs
    for (int i = 0; i < stages.size(); i++) {
      PlanNode s = stages.get(i);
      registry.planStage(runId, i, s.label(), s.kind(), s.config(), s.tags(), s.inputs());
    }
    ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
      Thread t = new Thread(r, "saturn-stage");
      t.setDaemon(true);
      return t;
    });
    Thread hook = new Thread(() -> {
      try {
        registry.finishRun(runId, "interrupted", "stopped by a signal before it finished");
      } catch (IOException | RuntimeException ignored) {
        // the next open of the registry marks it interrupted anyway (its process is gone)
      }
    }, "saturn-run-interrupted");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Execution ex = new Execution(runId, stages, new ExecutorCompletionService<>(pool));
      while (ex.startReady()) ex.awaitOne();
      Result result = new Result(runId, orderedResults(stages, ex.results));
      long failed = result.count(Outcome.FAILED);
      registry.finishRun(runId, failed == 0 && result.count(Outcome.SKIPPED) == 0 ? "done" : "failed",
          failed == 0 ? null : failed + " stage(s) failed: " + result.stages().values().stream()
              .filter(x -> x.outcome() == Outcome.FAILED).map(x -> x.label() + ": " + x.error()).findFirst().orElse(""));
      return result;
    } finally {
      pool.shutdownNow();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running; it records the interruption
      }
    }
  }

  /**
   * One execution's scheduling state: which nodes wait, run or are done, and the memory and exclusive groups in use.
   * Nodes start when their inputs are published, a job slot is free and their memory fits; a node whose input failed
   * is skipped, and so is everything downstream of it.
   */
  private final class Execution {
    final long runId;
    final List<PlanNode> stages;
    final ExecutorCompletionService<StageResult> completion;
    final Map<String, StageResult> results = new LinkedHashMap<>();
    final Map<String, Artifact> artifacts = new HashMap<>();
    final List<PlanNode> waiting;
    final Map<Future<StageResult>, PlanNode> running = new HashMap<>();
    final Map<String, Long> reserved = new HashMap<>();
    final java.util.Set<String> exclusiveInUse = new java.util.HashSet<>();
    final int threadsPerStage;
    long memoryInUse;
    int done;

    Execution(long runId, List<PlanNode> stages, ExecutorCompletionService<StageResult> completion) {
      this.runId = runId;
      this.stages = stages;
      this.completion = completion;
      this.waiting = new ArrayList<>(stages);
      this.threadsPerStage = Math.max(1, Runtime.getRuntime().availableProcessors() / Math.min(jobs, Math.max(1, stages.size())));
    }

    /** Skips what cannot run and starts what can; false when nothing is left to wait for. */
    boolean startReady() throws IOException {
      boolean progressed = true;
      while (progressed) {
        progressed = false;
        for (PlanNode s : List.copyOf(waiting)) {
          String failedInput = s.inputs().stream().filter(in -> results.containsKey(in) && results.get(in).artifact() == null)
              .findFirst().orElse(null);
          if (failedInput != null) {
            skip(s, "input '" + failedInput + "' failed");
            progressed = true;
          } else if (canStart(s)) {
            start(s);
            progressed = true;
          } else if (running.size() >= jobs) {
            break;
          }
        }
      }
      if (running.isEmpty() && !waiting.isEmpty()) throw new IllegalStateException("plan cannot progress: " + waiting.get(0).label());
      return !running.isEmpty();
    }

    private boolean canStart(PlanNode s) {
      if (!s.inputs().stream().allMatch(artifacts::containsKey) || running.size() >= jobs) return false;
      if (memoryInUse + memoryFor(s) > memoryBudgetBytes && !running.isEmpty()) return false; // wait for memory to free up
      return s.exclusiveGroup() == null || !exclusiveInUse.contains(s.exclusiveGroup()); // one of a group at a time
    }

    private void start(PlanNode s) {
      long need = memoryFor(s);
      if (s.exclusiveGroup() != null) exclusiveInUse.add(s.exclusiveGroup());
      List<Artifact> inputs = s.inputs().stream().map(artifacts::get).toList();
      waiting.remove(s);
      memoryInUse += need;
      reserved.put(s.label(), need);
      running.put(completion.submit(() -> runOne(runId, s, inputs, threadsPerStage, need)), s);
    }

    private void skip(PlanNode s, String why) throws IOException {
      waiting.remove(s);
      results.put(s.label(), new StageResult(s.label(), Outcome.SKIPPED, null, 0, why));
      registry.stageFinished(runId, s.label(), "skipped", null, null, null, 0, why, null);
      print(++done, stages.size(), s.label(), "skipped (" + why + ")");
    }

    /** Waits for one running node to end and records how it ended. */
    void awaitOne() throws IOException {
      Future<StageResult> f;
      try {
        f = completion.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for stages", e);
      }
      PlanNode s = running.remove(f);
      memoryInUse -= reserved.remove(s.label());
      if (s.exclusiveGroup() != null) exclusiveInUse.remove(s.exclusiveGroup());
      StageResult r;
      try {
        r = f.get();
      } catch (Exception e) {
        r = new StageResult(s.label(), Outcome.FAILED, null, 0, oneLine(e), e);
      }
      results.put(s.label(), r);
      if (r.artifact() != null) artifacts.put(s.label(), r.artifact());
      print(++done, stages.size(), s.label(), describe(r));
    }
  }

  private StageResult runOne(long runId, PlanNode s, List<Artifact> inputs, int threads, long memory) {
    long t0 = System.nanoTime();
    List<String> inputIds = inputs.stream().map(Artifact::id).toList();
    try {
      {
        Optional<Artifact> cached = published(s, inputs);
        if (cached.isPresent()) {
          double secs = (System.nanoTime() - t0) / 1e9;
          registry.stageFinished(runId, s.label(), "cached", inputIds, cached.get().id(), cached.get().manifest().createdAt(),
              secs, null, safeMetrics(s, cached.get()));
          return new StageResult(s.label(), Outcome.CACHED, cached.get(), secs, null);
        }
      }
      registry.stageStarted(runId, s.label(), inputIds);
      String started = java.time.Instant.now().toString();
      StageContext ctx = new StageContext(workspace, new Resources(s.threads() != null ? s.threads() : threads, memory),
          listeners.forNode(s.label()));
      Artifact a = s.run(inputs, ctx);
      if (a == null) throw new IllegalStateException(s.label() + " returned no artifact");
      double secs = (System.nanoTime() - t0) / 1e9;
      // Another process may have published the same artifact while this one waited for its inputs.
      boolean wasCached = a.manifest().createdAt().compareTo(started) < 0;
      registry.stageFinished(runId, s.label(), wasCached ? "cached" : "done", inputIds, a.id(), a.manifest().createdAt(),
          secs, null, safeMetrics(s, a));
      return new StageResult(s.label(), wasCached ? Outcome.CACHED : Outcome.DONE, a, secs, null, null);
    } catch (Throwable e) {
      double secs = (System.nanoTime() - t0) / 1e9;
      String msg = oneLine(e);
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(trace));
      try {
        registry.stageFinished(runId, s.label(), "failed", inputIds, null, null, secs, msg + "\n" + trace, null);
      } catch (IOException ignored) {
        // the run record still ends as failed
      }
      if (e instanceof Error err && !(e instanceof OutOfMemoryError) && !(e instanceof AssertionError)) throw err;
      return new StageResult(s.label(), Outcome.FAILED, null, secs, msg, e);
    }
  }

  /**
   * Memory granted to a node: its own {@code memory:} when the spec section gives one (which must fit the run's
   * budget), else its estimate, capped at the run's budget.
   */
  long memoryFor(PlanNode s) {
    PlanNode.Estimate e = s.estimate();
    if (e.memoryFixed() && e.memoryBytes() > memoryBudgetBytes) {
      throw new MemoryBudgetException(s.label() + " asks for memory " + ByteSize.format(e.memoryBytes()) + " but the run's"
          + " budget is " + ByteSize.format(memoryBudgetBytes) + "; raise execution.memory (or --memory) or lower the stage's");
    }
    return Math.min(Math.max(1, e.memoryBytes()), memoryBudgetBytes);
  }

  private List<Metric> safeMetrics(PlanNode s, Artifact a) {
    try {
      return s.metrics(a);
    } catch (IOException | RuntimeException e) {
      synchronized (out) {
        out.println("      " + s.label() + ": could not read metrics from " + a.id() + ": " + oneLine(e));
      }
      return List.of();
    }
  }

  private static Map<String, StageResult> orderedResults(List<PlanNode> stages, Map<String, StageResult> results) {
    Map<String, StageResult> ordered = new LinkedHashMap<>();
    for (PlanNode s : stages) ordered.put(s.label(), results.get(s.label()));
    return ordered;
  }

  private void print(int done, int total, String label, String what) {
    synchronized (out) {
      out.printf(Locale.ROOT, "[%d/%d] %-40s %s%n", done, total, label, what);
      out.flush();
    }
  }

  private static String describe(StageResult r) {
    return switch (r.outcome()) {
      case CACHED -> "cached    " + r.artifact().id();
      case DONE -> "done      " + r.artifact().id() + " (" + Durations.formatSeconds(r.seconds()) + ")";
      case FAILED -> "FAILED    " + r.error();
      case SKIPPED -> "skipped   " + r.error();
    };
  }

  static String oneLine(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.ExecutionException || t instanceof java.io.UncheckedIOException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage();
    if (m == null || m.isBlank()) m = t.getClass().getSimpleName();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
