package saturn.runs.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import saturn.artifact.Artifact;
import saturn.artifact.Workspace;
import saturn.ngram.CsrMatrix;
import saturn.ngram.NgramStage;
import saturn.ngram.format.ContextMatrixReader;
import saturn.spectra.SpectraConfig;
import saturn.spectra.SpectraStage;
import saturn.spectra.Spectrum;
import saturn.spectra.format.SpectrumReader;

/** {@code saturn spectra [--ngrams ID] [--rank k] ...}: singular values of W and the W-error curve. */
@Command(name = "spectra", mixinStandardHelpOptions = true,
    description = {"Top-k singular values of W (an ngrams artifact), ||W||_F^2 and the W-error curve",
        "W_err(d) = sqrt(1 - sum_{i<=d} sigma_i^2 / ||W||_F^2); writes spectrum.arrow/.csv and charts (PNG, SVG)."},
    subcommands = SpectraCompareCommand.class)
public final class SpectraCommand implements Callable<Integer> {
  @Mixin WorkspaceOption ws;

  @Option(names = "--ngrams", paramLabel = "ID", description = "W artifact (stage ngrams); default: the newest one.")
  String ngrams;

  @Option(names = "--rank", paramLabel = "K", defaultValue = "" + SpectraConfig.DEFAULT_RANK,
      description = "Singular values to compute, clamped to min(rows, vocabulary) (default: ${DEFAULT-VALUE}).")
  int rank;

  @Option(names = "--solver", defaultValue = "auto",
      description = "auto, krylov (block Krylov-Schur) or dense (exact Gram eigendecomposition, small W) (default: ${DEFAULT-VALUE}).")
  String solver;

  @Option(names = "--tolerance", defaultValue = "" + SpectraConfig.DEFAULT_TOLERANCE,
      description = "Target bound on the relative error of every sigma_i (default: ${DEFAULT-VALUE}).")
  double tolerance;

  @Option(names = "--max-cycles", defaultValue = "" + SpectraConfig.DEFAULT_MAX_CYCLES,
      description = "Krylov restart cycles at most; bounds not reached are stored as they are (default: ${DEFAULT-VALUE}).")
  int maxCycles;

  @Option(names = "--block-size", defaultValue = "0", description = "Krylov block width; 0 chooses from k (default: ${DEFAULT-VALUE}).")
  int blockSize;

  @Option(names = "--oversampling", defaultValue = "0", description = "Ritz vectors kept beyond k; 0 chooses (default: ${DEFAULT-VALUE}).")
  int oversampling;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the random start block (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", description = "Threads for the sparse kernel (default: all cores; the result does not depend on it).")
  Integer threads;

  @Option(names = "--memory", defaultValue = "8g",
      description = "Memory budget for W plus the solver, checked before allocating (default: ${DEFAULT-VALUE}).")
  String memory;

  @Override
  public Integer call() throws Exception {
    Workspace w = ws.open();
    Artifact in;
    if (ngrams != null) {
      in = w.get(ngrams);
    } else {
      in = w.newest(NgramStage.MATRIX_STAGE).orElseThrow(() -> new IllegalArgumentException("no ngrams artifact in "
          + w.root() + "; build W with `saturn ngram` first or pass --ngrams ID"));
      System.err.println("spectra: using the newest ngrams artifact " + in.id());
    }
    if (!NgramStage.MATRIX_STAGE.equals(in.stage())) {
      throw new IllegalArgumentException(in.id() + " is a '" + in.stage() + "' artifact; --ngrams needs a W artifact "
          + "(stage " + NgramStage.MATRIX_STAGE + ")");
    }
    SpectraConfig cfg = SpectraConfig.builder().optRank(rank).optSolver(solver).optTolerance(tolerance)
        .optMaxCycles(maxCycles).optBlockSize(blockSize).optOversampling(oversampling).optSeed(seed).build();
    SpectraStage.Resources res = new SpectraStage.Resources(
        threads != null ? threads : Runtime.getRuntime().availableProcessors(), SpectraStage.parseBytes(memory));
    CsrMatrix m = ContextMatrixReader.read(in);
    Artifact out;
    try {
      out = SpectraStage.run(w, m, List.of(in.id()), cfg, res, msg -> System.err.println("spectra: " + msg));
    } catch (SpectraStage.MemoryBudgetException e) {
      System.err.println("saturn: " + e.getMessage());
      return ExitCodes.OUT_OF_MEMORY_BUDGET;
    }
    Spectrum s = SpectrumReader.read(out);
    print(out, s);
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
