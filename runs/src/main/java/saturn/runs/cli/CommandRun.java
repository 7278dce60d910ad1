package saturn.runs.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import saturn.artifact.Artifact;
import saturn.artifact.Hashing;
import saturn.artifact.Workspace;
import saturn.runs.plan.Plan;
import saturn.runs.plan.PlanNode;
import saturn.runs.plan.Runner;
import saturn.runs.registry.Registry;
import saturn.stage.Resources;

/**
 * A stand-alone command's stages, run the way a pipeline runs them: through the {@link Runner}, recorded as a run of
 * the workspace's registry (so {@code saturn runs list} and {@code saturn report latest} see it), one stage after the
 * other, with the command's resources and console. A stage's failure is thrown as it was, so the exit code is the
 * failure's own.
 */
final class CommandRun {
  private final Workspace workspace;
  private final String command;
  private final String commandLine;
  private final GlobalOptions global;

  CommandRun(Workspace workspace, String command, List<String> args, GlobalOptions global) {
    this.workspace = workspace;
    this.command = command;
    this.commandLine = "saturn " + command + (args.isEmpty() ? "" : " " + String.join(" ", args));
    this.global = global;
  }

  /** Runs the nodes (later ones may take earlier ones' artifacts) and returns their artifacts by label. */
  Map<String, Artifact> run(List<? extends PlanNode> nodes, Resources resources) throws Exception {
    Plan plan = new Plan(nodes);
    PrintStream log = System.err;
    ConsoleListener console = ConsoleListener.stderr(command, global.quiet());
    try (Registry registry = Registry.open(workspace)) {
      Runner runner = new Runner(workspace, registry, 1, resources.memoryBytes(), new PrintStream(PrintStream.nullOutputStream()),
          label -> console);
      long runId = registry.startRun(new Registry.NewRun(command, "command", null, Hashing.sha256(commandLine), commandLine,
          1, resources.memoryBytes(), null));
      Runner.Result result = runner.execute(runId, plan);
      Map<String, Artifact> out = new LinkedHashMap<>();
      for (Runner.StageResult r : result.stages().values()) {
        if (r.failure() instanceof Error e) throw e;
        if (r.failure() instanceof Exception e) throw e;
        if (r.artifact() == null) throw new IllegalStateException(r.label() + ": " + r.error());
        if (r.outcome() == Runner.Outcome.CACHED) log.println("saturn " + command + ": found " + r.artifact().id() + " (same inputs and settings)");
        out.put(r.label(), r.artifact());
      }
      return out;
    }
  }

  /** Runs one node and returns its artifact. */
  Artifact runOne(PlanNode node, Resources resources) throws Exception {
    return run(List.of(node), resources).get(node.label());
  }

  /** The node of a stage run by a command: the command's --threads for every stage. */
  static <S extends saturn.stage.StageSpec> saturn.runs.plan.StageNode.Builder<S> node(String label, saturn.stage.Stage<S> stage,
      Resources resources) {
    return saturn.runs.plan.StageNode.builder(label, stage).setConfig(saturn.artifact.Json.tree(Map.of()))
        .optThreads(resources.threads()).optEstimate(new PlanNode.Estimate(resources.memoryBytes(), 1, true))
        .optMetrics(saturn.runs.stages.StageMetrics.of(stage.name()));
  }
}
