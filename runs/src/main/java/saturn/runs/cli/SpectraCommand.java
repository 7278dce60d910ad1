package saturn.runs.cli;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import saturn.ngram.ContextMatrixStage;
import saturn.runs.options.ResourceOptions;
import saturn.runs.options.SpectraOptions;
import saturn.spectra.SpectraSpec;
import saturn.spectra.SpectraStage;
import saturn.stage.Resources;
import saturn.spectra.Spectrum;
import saturn.spectra.format.SpectrumReader;

/** {@code saturn spectra [--w ID] [--rank k] ...}: singular values of W and the W-error curve. */
@Command(name = "spectra", mixinStandardHelpOptions = true, defaultValueProvider = SpectraOptions.Defaults.class,
    description = {"Top-k singular values of W (an ngrams artifact), ||W||_F^2 and the W-error curve",
        "W_err(d) = sqrt(1 - sum_{i<=d} sigma_i^2 / ||W||_F^2); writes spectrum.arrow/.csv and charts (PNG, SVG)."},
    subcommands = SpectraCompareCommand.class)
public final class SpectraCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin WorkspaceOption ws;
  @Mixin SpectraOptions options;
  @Mixin ResourceOptions resources;

  @Option(names = {"--w", "--ngrams"}, paramLabel = "ID", description = "W artifact (stage ngrams); default: the newest one.")
  String w;

  @Override
  public Integer call() throws Exception {
    options.toSpec(SpectraSpec.NOT_AN_ARTIFACT); // validates before anything is read or written
    Workspace ws = this.ws.open();
    ConsoleListener console = ConsoleListener.stderr("spectra", GlobalOptions.of(spec).quiet());
    String wId = InputChoice.pick(ws, w, ContextMatrixStage.STAGE, "--w", InputChoice.any(), "", console).id();
    Resources r = resources.resources();
    Artifact out = new CommandRun(ws, "spectra", spec.commandLine().getParseResult().originalArgs(), GlobalOptions.of(spec))
        .runOne(CommandRun.node("spectra", new SpectraStage(), r).setSpecs(in -> options.toSpec(wId)).build(), r);
    print(out, SpectrumReader.read(out));
    return ExitCodes.OK;
  }

  static void print(Artifact out, Spectrum s) {
    double[] we = s.wError();
    System.out.println(out.id());
    System.out.println("  dir           " + out.dir());
    System.out.printf(Locale.ROOT, "  W             %,d x %,d, %,d entries (%,d non-empty columns, %,d zero rows ignored)%n",
        s.rows(), s.cols(), s.nnz(), s.nonEmptyColumns(), s.zeroRows());
    System.out.printf(Locale.ROOT, "  ||W||_F^2     %.10g%n", s.frobeniusSquared());
    System.out.printf(Locale.ROOT, "  k             %d (asked %d), solver %s, %d cycles, %.1f s%n", s.rank(),
        s.requestedRank(), s.solver(), s.cycles(), s.seconds());
    if (s.rank() > 0) {
      System.out.printf(Locale.ROOT, "  sigma_1       %.8g   sigma_k %.8g%n", s.sigma()[0], s.sigma()[s.rank() - 1]);
    }
    System.out.printf(Locale.ROOT, "  W_err(k)      %.6f%n", we[we.length - 1]);
    for (Map.Entry<String, Integer> e : s.firstRankBelow().entrySet()) {
      System.out.printf(Locale.ROOT, "  W_err <= %-4s %s%n", e.getKey(), e.getValue() == null ? "not reached by d = " + s.rank()
          : "from d = " + e.getValue());
    }
    System.out.printf(Locale.ROOT, "  accuracy      every sigma_i within a relative %.1e (max bound; per-sigma bounds in the table)%s%n",
        s.maxAccuracy(), s.converged() ? "" : "  [tolerance not reached]");
    System.out.println("  files         spectrum.arrow spectrum.csv w_error.png w_error.svg spectrum.png spectrum.svg");
  }

}
