package saturn.runs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.ingest.TokenArtifact;
import java.util.function.Predicate;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import saturn.ngram.ContextMatrixStage;
import saturn.ngram.NgramCounts;
import saturn.ngram.NgramSpec;
import saturn.ngram.NgramStage;
import saturn.runs.options.NgramOptions;
import saturn.runs.options.ResourceOptions;
import saturn.runs.plan.PlanNode;
import saturn.stage.Resources;

/** {@code saturn ngram}: count n-grams of token artifacts into a Lucene store, then build W. */
@Command(name = "ngram", mixinStandardHelpOptions = true, defaultValueProvider = NgramOptions.Defaults.class,
    description = {"Count the n-grams of token artifacts exactly (within --memory; spills to the workspace), store them in"
        + " a Lucene index, and build W = P(next | context) as Arrow CSR.",
        "With --merge-into, add the counts of new token artifacts to an existing count artifact without recounting it."},
    subcommands = {NgramQueryCommand.class, NgramExportCommand.class})
public final class NgramCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WorkspaceOption ws;
  @Mixin NgramOptions options;
  @Mixin ResourceOptions resources;

  @Option(names = "--tokens", paramLabel = "ID", split = ",",
      description = "Token artifacts to count (ids or prefixes; default: the newest token artifact).")
  List<String> tokens = new ArrayList<>();

  @Option(names = "--merge-into", paramLabel = "COUNTS_ID",
      description = "An existing n-gram count artifact: the new counts are added to it (no recount of its inputs).")
  String mergeInto;

  @Option(names = "--counts-only", description = "Count (and store) only; do not build W.")
  boolean countsOnly;

  @Override
  public Integer call() throws Exception {
    Workspace w = ws.open();
    ConsoleListener console = ConsoleListener.stderr("ngram", GlobalOptions.of(spec).quiet());
    Artifact base = mergeInto == null ? null : InputChoice.pick(w, mergeInto, NgramStage.COUNTS_STAGE, "--merge-into",
        InputChoice.any(), "", console);
    List<String> ids = new ArrayList<>();
    for (String t : tokens) ids.add(InputChoice.pick(w, t, TokenArtifact.STAGE, "--tokens", InputChoice.any(), "", console).id());
    if (ids.isEmpty()) {
      Predicate<Artifact> sameTokenizer = base == null ? InputChoice.any()
          : a -> TokenArtifact.STAGE.equals(a.stage()) && a.manifest().stats().path(TokenArtifact.KEY_TOKENIZER_SHA256).asText()
              .equals(base.manifest().stats().path("tokenizerSha256").asText());
      ids.add(InputChoice.pick(w, null, TokenArtifact.STAGE, "--tokens", sameTokenizer, "with the tokenizer of " + mergeInto, console).id());
    }
    NgramSpec countSpec = options.countSpec(ids, base == null ? null : base.id(), base == null ? null : NgramCounts.of(base).order());
    if (!countsOnly) options.matrixSpec(saturn.stage.Inputs.inMemory(NgramStage.COUNTS_STAGE)); // validates W's options up front
    Resources r = resources.resources();
    List<PlanNode> nodes = new ArrayList<>();
    nodes.add(CommandRun.node("ngram", new NgramStage(), r).setSpecs(in -> countSpec).build());
    if (!countsOnly) {
      nodes.add(CommandRun.node("w", new ContextMatrixStage(), r).optInputs(List.of("ngram"))
          .setSpecs(in -> options.matrixSpec(in.get(0).id())).build());
    }
    Map<String, Artifact> out = new CommandRun(w, "ngram", spec.commandLine().getParseResult().originalArgs(),
        GlobalOptions.of(spec)).run(nodes, r);
    printCounts(out.get("ngram"));
    if (!countsOnly) printMatrix(out.get("w"));
    return ExitCodes.OK;
  }

  static void printCounts(Artifact counts) {
    JsonNode s = counts.manifest().stats();
    System.out.println(counts.id() + "  (" + counts.dir() + ")");
    System.out.printf("  %d-grams of %s: %,d tokens, %,d n-grams, %,d distinct, %,d distinct contexts, max count %,d%n",
        s.get("order").asInt(), tokenIds(s.get("tokenArtifacts")),
        s.get("tokens").asLong(), s.get("ngrams").asLong(), s.get("distinctNgrams").asLong(),
        s.get("distinctContexts").asLong(), s.get("maxCount").asLong());
    StringBuilder coc = new StringBuilder("  counts of counts:");
    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) s.get("countsOfCounts")::fields) {
      coc.append(String.format(" %s:%,d", e.getKey(), e.getValue().asLong()));
    }
    System.out.println(coc);
    System.out.printf("  spilled %,d bytes in %d runs; %.2f s%n", s.get("bytesSpilled").asLong(), s.get("spilledRuns").asInt(),
        s.get("seconds").asDouble());
  }

  static void printMatrix(Artifact matrix) {
    JsonNode s = matrix.manifest().stats();
    System.out.println(matrix.id() + "  (" + matrix.dir() + ")");
    System.out.printf("  W: %,d x %,d, nnz %,d; contexts: %,d distinct, %,d with count >= min, %,d kept; %.2f s%n",
        s.get("rows").asLong(), s.get("cols").asInt(), s.get("nnz").asLong(), s.get("contextsBeforeFiltering").asLong(),
        s.get("contextsWithMinCount").asLong(), s.get("contextsKept").asLong(), s.get("seconds").asDouble());
  }

  private static String tokenIds(JsonNode ids) {
    List<String> out = new ArrayList<>();
    ids.forEach(n -> out.add(n.asText()));
    return String.join(",", out);
  }
}
