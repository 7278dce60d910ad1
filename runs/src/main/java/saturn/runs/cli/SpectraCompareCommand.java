package saturn.runs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.spectra.SpectraCompare;

/** {@code saturn spectra compare A B ...}: one chart and one table over several spectrum artifacts. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Overlay the W-error curves and spectra of several spectrum artifacts in one chart and one table.")
public final class SpectraCompareCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Parameters(paramLabel = "ID", arity = "1..*", description = "Spectrum artifact ids (or unique prefixes).")
  List<String> ids;

  @Option(names = "--label", paramLabel = "TEXT", description = "Legend label, once per ID in order (default: the ids).")
  List<String> labels = new ArrayList<>();

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "spectra-compare",
      description = "Directory for compare_w_error.png/.svg, compare_spectrum.png/.svg, compare.csv, compare_curves.csv (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    Workspace w = ws.openExisting();
    List<Artifact> arts = new ArrayList<>();
    for (String id : ids) arts.add(w.get(id));
    List<SpectraCompare.Row> rows = SpectraCompare.compare(arts, labels, out);
    System.out.println(SpectraCompare.header().replace(',', '\t'));
    for (SpectraCompare.Row r : rows) System.out.println(SpectraCompare.line(r, "\t"));
    System.out.println("wrote " + out.toAbsolutePath() + "/{" + SpectraCompare.W_ERROR_CHART + ","
        + SpectraCompare.SPECTRUM_CHART + "}.{png,svg}, " + SpectraCompare.TABLE + ", " + SpectraCompare.CURVES);
    return ExitCodes.OK;
  }
}
