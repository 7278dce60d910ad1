package saturn.runs.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.ngram.CsrMatrix;
import saturn.ngram.ContextMatrixStage;
import saturn.ngram.NgramStage;

/** {@code saturn ngram export [W_ARTIFACT] --format npz|mtx --output FILE}. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export W: npz (scipy.sparse.load_npz) or mtx (Matrix Market, scipy.io.mmread).")
public final class NgramExportCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Parameters(arity = "0..1", paramLabel = "ARTIFACT", description = "A W artifact (stage ngrams; default: the newest).")
  String artifact;

  @Option(names = "--format", defaultValue = "npz", description = "npz or mtx (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = {"-o", "--output"}, description = "Output file (default: W.<format> in the current directory).")
  Path output;

  @Override
  public Integer call() throws Exception {
    Workspace w = ws.openExisting();
    ContextMatrixStage.ExportFormat f;
    try {
      f = ContextMatrixStage.ExportFormat.valueOf(format.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--format must be npz or mtx, not '" + format + "'");
    }
    Artifact a;
    if (artifact != null) {
      a = w.get(artifact);
    } else {
      a = w.newest(ContextMatrixStage.STAGE).orElseThrow(() -> new IllegalArgumentException(
          "no W artifact in " + w.root() + "; run `saturn ngram` first"));
      System.err.println("using the newest W artifact " + a.id());
    }
    Path out = output != null ? output : Path.of("W." + f.name().toLowerCase(Locale.ROOT));
    CsrMatrix m = ContextMatrixStage.export(a, f, out);
    System.out.printf("wrote %s: %,d x %,d, nnz %,d%n", out, m.rows(), m.cols(), m.nnz());
    return ExitCodes.OK;
  }
}
