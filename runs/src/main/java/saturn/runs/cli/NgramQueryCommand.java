package saturn.runs.cli;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.ngram.NgramCounts;
import saturn.ngram.NgramQuery;
import saturn.ngram.ContextMatrixStage;
import saturn.ngram.NgramStage;

/** {@code saturn ngram query [ARTIFACT] "context text" | --ids 1,2,3,4 [--count]}. */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = {"Next-token distribution of a context (top-k with counts, probabilities, decoded text), or with --count"
        + " the count of a full n-gram.",
        "The context is the last order-1 tokens of the text (tokenized with the artifact's tokenizer) or of --ids."})
public final class NgramQueryCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Parameters(arity = "0..2", paramLabel = "[ARTIFACT] TEXT",
      description = "An n-gram count or W artifact (default: the newest count artifact), then the context text.")
  List<String> args = List.of();

  @Option(names = "--ids", split = ",", paramLabel = "ID", description = "The context (or n-gram) as token ids.")
  int[] ids;

  @Option(names = {"-k", "--top"}, defaultValue = "10", description = "How many next tokens to show (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--count", description = "Print the count of the full n-gram (order tokens) instead.")
  boolean count;

  @Override
  public Integer call() throws Exception {
    Workspace w = ws.openExisting();
    String artifactId = null;
    String text = null;
    if (args.size() == 2) {
      artifactId = args.get(0);
      text = args.get(1);
    } else if (args.size() == 1) {
      if (ids != null) artifactId = args.get(0);
      else text = args.get(0);
    }
    if (text == null && ids == null) throw new IllegalArgumentException("give the context as TEXT or --ids 1,2,3");
    Artifact a;
    if (artifactId != null) {
      a = ContextMatrixStage.countsOf(w, w.get(artifactId));
    } else {
      a = w.newest(NgramStage.COUNTS_STAGE).orElseThrow(() -> new IllegalArgumentException(
          "no n-gram counts in " + w.root() + "; run `saturn ngram` first"));
      System.err.println("using the newest n-gram counts " + a.id());
    }
    NgramCounts counts = NgramCounts.of(a);
    long t0 = System.nanoTime();
    try (NgramQuery q = new NgramQuery(counts, true)) {
      int[] tokens = ids != null ? ids : q.tokenize(text);
      long opened = System.nanoTime();
      if (count) {
        if (tokens.length < counts.order()) {
          throw new IllegalArgumentException("--count needs " + counts.order() + " tokens, got " + tokens.length + " " + Arrays.toString(tokens));
        }
        int[] ng = Arrays.copyOfRange(tokens, tokens.length - counts.order(), tokens.length);
        long c = q.count(ng);
        System.out.println(Arrays.toString(ng) + (text != null ? " " + quote(ng, q) : "") + "  count " + c);
        return ExitCodes.OK;
      }
      NgramQuery.Answer ans = q.next(tokens, k);
      long done = System.nanoTime();
      System.out.printf("%s  context %s %s: seen %,d times, %,d distinct next tokens (query %.2f ms, open %.0f ms)%n",
          counts.id(), Arrays.toString(ans.context()), quote(ans.context(), q), ans.contextCount(), ans.continuations(),
          (done - opened) / 1e6, (opened - t0) / 1e6);
      if (ans.top().isEmpty()) {
        System.out.println("  this context does not occur in the counted corpus");
        return ExitCodes.OK;
      }
      System.out.printf("  %4s %8s %12s %9s  %s%n", "rank", "token", "count", "P", "text");
      int rank = 1;
      for (NgramQuery.Next n : ans.top()) {
        System.out.printf("  %4d %8d %,12d %9.5f  %s%n", rank++, n.token(), n.count(), n.probability(),
            n.text() == null ? "" : visible(n.text()));
      }
    }
    return ExitCodes.OK;
  }

  private static String quote(int[] tokens, NgramQuery q) throws java.io.IOException {
    if (q.counts().tokenizerFile().isEmpty()) return "";
    StringBuilder sb = new StringBuilder("\"");
    for (int t : tokens) sb.append(visible(q.decode(t)));
    return sb.append('"').toString();
  }

  private static String visible(String s) {
    return s.replace("\n", "\\n").replace("\t", "\\t");
  }
}
