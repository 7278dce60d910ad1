package saturn.spectra;

/**
 * What determines a spectrum (and so its artifact id): which W, how many singular values and how exactly. Threads and
 * the memory budget do not change the result; they come from the stage's {@link saturn.stage.Resources} and are
 * recorded as provenance.
 *
 * @param w the W artifact ({@code ngrams} stage), by full id
 * @param rank k, the number of singular values wanted (clamped to min(rows, vocabulary))
 * @param solver {@code auto}, {@code krylov} or {@code dense}
 * @param tolerance target bound on the relative error of every σ_i, i ≤ k
 * @param maxCycles restart cycles at most (the result is kept, with its bounds, if they are not all reached)
 * @param blockSize Krylov block width, 0 to choose from k
 * @param oversampling Ritz vectors kept beyond k, 0 to choose
 * @param seed seed of the random start block
 */
public record SpectraSpec(String w, int rank, String solver, double tolerance, int maxCycles, int blockSize,
    int oversampling, long seed) implements saturn.stage.StageSpec {
  public static final int DEFAULT_RANK = 4096;
  public static final double DEFAULT_TOLERANCE = 1e-6;
  public static final int DEFAULT_MAX_CYCLES = 30;

  public static final String DEFAULT_SOLVER = "auto";
  /** The {@code w} of a spec for a matrix that is not an artifact (benchmarks and tests calling compute directly). */
  public static final String NOT_AN_ARTIFACT = saturn.stage.Inputs.inMemory("ngrams");
  public static final long DEFAULT_SEED = 42;

  public SpectraSpec {
    saturn.stage.Inputs.checkId(w, "--w");
    if (rank < 1) throw new IllegalArgumentException("--rank must be at least 1, got " + rank);
    if (!solver.equals("auto") && !solver.equals("krylov") && !solver.equals("dense")) {
      throw new IllegalArgumentException("--solver must be auto, krylov or dense, got '" + solver + "'");
    }
    if (!(tolerance > 0 && tolerance < 1)) throw new IllegalArgumentException("--tolerance must be in (0, 1), got " + tolerance);
    if (maxCycles < 1) throw new IllegalArgumentException("--max-cycles must be at least 1, got " + maxCycles);
    if (blockSize < 0 || oversampling < 0) throw new IllegalArgumentException("--block-size and --oversampling must be >= 0");
  }

  @Override
  public java.util.List<String> inputIds() {
    return java.util.List.of(w);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder: {@code setW} is required, every other setting optional with the defaults written once here. */
  public static final class Builder {
    private String w;
    private int rank = DEFAULT_RANK;
    private String solver = DEFAULT_SOLVER;
    private double tolerance = DEFAULT_TOLERANCE;
    private int maxCycles = DEFAULT_MAX_CYCLES;
    private int blockSize;
    private int oversampling;
    private long seed = DEFAULT_SEED;

    public Builder setW(String v) { w = v; return this; }
    public Builder optRank(int v) { rank = v; return this; }
    public Builder optSolver(String v) { solver = v; return this; }
    public Builder optTolerance(double v) { tolerance = v; return this; }
    public Builder optMaxCycles(int v) { maxCycles = v; return this; }
    public Builder optBlockSize(int v) { blockSize = v; return this; }
    public Builder optOversampling(int v) { oversampling = v; return this; }
    public Builder optSeed(long v) { seed = v; return this; }

    public SpectraSpec build() {
      return new SpectraSpec(w, rank, solver, tolerance, maxCycles, blockSize, oversampling, seed);
    }
  }
}
