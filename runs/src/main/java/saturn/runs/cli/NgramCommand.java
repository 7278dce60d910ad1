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
import saturn.ngram.ContextMatrixConfig;
import saturn.ngram.NgramConfig;
import saturn.ngram.NgramStage;

/** {@code saturn ngram}: count n-grams of token artifacts into a Lucene store, then build W. */
@Command(name = "ngram", mixinStandardHelpOptions = true,
    description = {"Count the n-grams of token artifacts exactly (within --memory; spills to the workspace), store them in"
        + " a Lucene index, and build W = P(next | context) as Arrow CSR.",
        "With --merge-into, add the counts of new token artifacts to an existing count artifact without recounting it."},
    subcommands = {NgramQueryCommand.class, NgramExportCommand.class})
public final class NgramCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Option(names = "--tokens", paramLabel = "ID", split = ",",
      description = "Token artifacts to count (ids or prefixes; default: the newest token artifact).")
  List<String> tokens = new ArrayList<>();

  @Option(names = "--merge-into", paramLabel = "COUNTS_ID",
      description = "An existing n-gram count artifact: the new counts are added to it (no recount of its inputs).")
  String mergeInto;

  @Option(names = "--order", description = "N-gram order, 2..8 (default: 5; with --merge-into: the existing order).")
  Integer order;

  @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "2g",
      description = "Memory budget of the count, e.g. 2g, 512m (default: ${DEFAULT-VALUE}); beyond it sorted runs spill to disk.")
  String memory;

  @Option(names = "--threads", description = "Counting threads (default: the number of cores).")
  Integer threads;

  @Option(names = "--split", split = ",", defaultValue = "train", description = "Splits to count: train, val (default: ${DEFAULT-VALUE}).")
  List<String> splits;

  @Option(names = "--min-count", defaultValue = "2", description = "Keep contexts seen at least this often (default: ${DEFAULT-VALUE}).")
  long minCount;

  @Option(names = "--top-contexts", paramLabel = "M", defaultValue = "0", description = "Keep only the M most frequent contexts.")
  long topContexts;

  @Option(names = "--sample-contexts", paramLabel = "M", defaultValue = "0", description = "Keep a uniform sample of M contexts (with --seed).")
  long sampleContexts;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of --sample-contexts (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--counts-only", description = "Count (and store) only; do not build W.")
  boolean countsOnly;

  @Override
  public Integer call() throws Exception {
    Workspace w = ws.open();
    List<Artifact> in = new ArrayList<>();
    for (String t : tokens) in.add(w.get(t));
    if (in.isEmpty()) {
      Artifact newest = w.newest(TokenArtifact.STAGE).orElseThrow(() -> new IllegalArgumentException(
          "no token artifact in " + w.root() + "; run `saturn ingest CORPUS` first or pass --tokens ID"));
      System.err.println("using the newest token artifact " + newest.id() + " (pass --tokens to choose)");
      in.add(newest);
    }
    NgramConfig base = NgramConfig.defaults();
    Artifact old = mergeInto == null ? null : w.get(mergeInto);
    int o = order != null ? order : old != null ? saturn.ngram.NgramCounts.of(old).order() : base.order();
    NgramConfig cfg = new NgramConfig(o, splits, NgramConfig.parseBytes(memory), threads != null ? threads : base.threads());
    Artifact counts = old == null ? NgramStage.count(w, cfg, in) : NgramStage.merge(w, cfg, old, in);
    printCounts(counts);
    if (countsOnly) return ExitCodes.OK;
    Artifact matrix = NgramStage.contextMatrix(w, new ContextMatrixConfig(minCount, topContexts, sampleContexts, seed), counts);
    printMatrix(matrix);
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
