package saturn.runs.options;

import java.util.Map;
import picocli.CommandLine.Option;
import saturn.spectra.SpectraSpec;

/** The settings of {@code saturn spectra} (the {@code spectra:} section of a run spec). */
public final class SpectraOptions {
  @Option(names = "--rank", paramLabel = "K", description = "Singular values to compute, clamped to min(rows, vocabulary) (default: ${DEFAULT-VALUE}).")
  Integer rank;

  @Option(names = "--solver", paramLabel = "auto|krylov|dense",
      description = "auto, krylov (block Krylov-Schur) or dense (exact Gram eigendecomposition, small W) (default: ${DEFAULT-VALUE}).")
  String solver;

  @Option(names = "--tolerance", description = "Target bound on the relative error of every sigma_i (default: ${DEFAULT-VALUE}).")
  Double tolerance;

  @Option(names = "--max-cycles", description = "Krylov restart cycles at most; bounds not reached are stored as they are (default: ${DEFAULT-VALUE}).")
  Integer maxCycles;

  @Option(names = "--block-size", description = "Krylov block width; 0 chooses from k (default: ${DEFAULT-VALUE}).")
  Integer blockSize;

  @Option(names = "--oversampling", description = "Ritz vectors kept beyond k; 0 chooses (default: ${DEFAULT-VALUE}).")
  Integer oversampling;

  @Option(names = "--seed", description = "Seed of the random start block (default: ${DEFAULT-VALUE}).")
  Long seed;

  public SpectraSpec toSpec(String w) {
    SpectraSpec.Builder b = SpectraSpec.builder().setW(w);
    if (rank != null) b.optRank(rank);
    if (solver != null) b.optSolver(solver);
    if (tolerance != null) b.optTolerance(tolerance);
    if (maxCycles != null) b.optMaxCycles(maxCycles);
    if (blockSize != null) b.optBlockSize(blockSize);
    if (oversampling != null) b.optOversampling(oversampling);
    if (seed != null) b.optSeed(seed);
    return b.build();
  }

  public Integer rank() {
    return rank;
  }

  /** Defaults for --help, from {@link SpectraSpec}'s builder. */
  public static final class Defaults extends SpecDefaults {
    public Defaults() {
      super(SpectraSpec.builder().setW(SpectraSpec.NOT_AN_ARTIFACT).build(), Map.of());
    }
  }
}
