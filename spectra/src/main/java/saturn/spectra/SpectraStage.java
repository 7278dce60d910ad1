package saturn.spectra;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import saturn.artifact.Artifact;
import saturn.artifact.ArtifactSpec;
import saturn.artifact.Workspace;
import saturn.ngram.ContextMatrixStage;
import saturn.ngram.CsrMatrix;
import saturn.ngram.format.ContextMatrixReader;
import saturn.spectra.format.SpectrumFormat;
import saturn.spectra.format.SpectrumWriter;
import saturn.spectra.internal.BlockKrylovSvd;
import saturn.spectra.internal.DenseGramSvd;
import saturn.spectra.internal.GramOperator;
import saturn.spectra.internal.SolverSettings;
import saturn.spectra.internal.SpectrumCharts;
import saturn.spectra.internal.SvdResult;
import saturn.spectra.internal.TruncatedSvd;
import saturn.stage.ByteSize;
import saturn.stage.Inputs;
import saturn.stage.MemoryBudgetException;
import saturn.stage.Resources;
import saturn.stage.Stage;
import saturn.stage.StageContext;
import saturn.stage.StageListener;

/**
 * The spectra stage: W (an {@code ngrams} artifact) → its top-k singular values and the W-error curve (stage
 * {@value #STAGE}). Validates W, picks and sizes a solver within the memory budget, solves, and publishes an Arrow +
 * CSV table with the W-error and spectrum charts (PNG + SVG).
 */
public final class SpectraStage implements Stage<SpectraSpec> {
  /** Dense solver below this many non-empty columns (A is formed exactly; cheaper than any Krylov cycle). */
  static final int DENSE_BELOW = 2_500;

  /** Stage name of the artifact this stage publishes. */
  public static final String STAGE = "spectrum";

  @Override
  public String name() {
    return STAGE;
  }

  @Override
  public ArtifactSpec identify(Workspace ws, SpectraSpec spec) throws IOException {
    Artifact w = Inputs.open(ws, spec.w(), ContextMatrixStage.STAGE, "--w");
    return ArtifactSpec.of(STAGE, SpectrumFormat.FORMAT, SpectrumFormat.VERSION_CURRENT, spec, List.of(w));
  }

  @Override
  public Artifact make(SpectraSpec spec, ArtifactSpec identity, StageContext ctx) throws IOException {
    Artifact wArtifact = Inputs.open(ctx.workspace(), spec.w(), ContextMatrixStage.STAGE, "--w");
    CsrMatrix w = ContextMatrixReader.read(wArtifact);
    return ctx.workspace().obtain(identity, pending -> {
      Spectrum s = compute(w, spec, ctx.resources(), ctx.listener());
      SpectrumWriter.write(s, pending.dir());
      List<SpectrumCharts.Curve> one = List.of(new SpectrumCharts.Curve(wArtifact.id(), s.sigma(), s.wError()));
      SpectrumCharts.writeWError(one, "W-error of the best rank-d approximation", pending.dir().resolve(SpectrumFormat.W_ERROR_CHART));
      SpectrumCharts.writeSpectrum(one, "Normalised singular values of W", pending.dir().resolve(SpectrumFormat.SPECTRUM_CHART));
      pending.seed("start_block", spec.seed());
      pending.stats(summary(s));
      pending.provenance("threads", ctx.resources().threads());
      pending.provenance("memory_budget_bytes", ctx.resources().memoryBytes());
    });
  }

  /** The scalars of a spectrum, as stored in the manifest and printed by the CLI. */
  public static Map<String, Object> summary(Spectrum s) {
    Map<String, Object> m = new LinkedHashMap<>();
    double[] we = s.wError();
    m.put("rows", s.rows());
    m.put("cols", s.cols());
    m.put("nnz", s.nnz());
    m.put("non_empty_columns", s.nonEmptyColumns());
    m.put("zero_rows", s.zeroRows());
    m.put("frobenius_squared", s.frobeniusSquared());
    m.put("requested_rank", s.requestedRank());
    m.put("rank", s.rank());
    m.put("sigma_1", s.rank() > 0 ? s.sigma()[0] : 0.0);
    m.put("sigma_k", s.rank() > 0 ? s.sigma()[s.rank() - 1] : 0.0);
    m.put("w_error_at_k", we[we.length - 1]);
    m.put("first_rank_with_w_error_at_most", s.firstRankBelow());
    m.put("max_accuracy", s.maxAccuracy());
    m.put("converged", s.converged());
    m.put("solver", s.solver());
    m.put("cycles", s.cycles());
    m.put("operator_columns", s.operatorColumns());
    m.put("seconds", s.seconds());
    return m;
  }

  /**
   * Top-k singular values and W-error inputs of {@code w} with the solver settings of {@code cfg} ({@code cfg.w()} is
   * not read). Notes about clamping and ignored rows go to the listener.
   */
  public static Spectrum compute(CsrMatrix w, SpectraSpec cfg, Resources res, StageListener listener) {
    java.util.function.Consumer<String> log = listener::note;
    validate(w);
    double f2 = w.frobeniusNormSquared();
    int maxRank = Math.min(w.rows(), w.cols());
    int k = cfg.rank();
    if (k > maxRank) {
      log.accept(String.format(Locale.ROOT, "--rank %d is more than W (%,d x %,d) allows; computing k = %d instead",
          k, w.rows(), w.cols(), maxRank));
      k = maxRank;
    }
    long t0 = System.nanoTime();
    try (GramOperator op = new GramOperator(w, f2, res.threads())) {
      int n = op.dimension();
      if (op.zeroRows() > 0) {
        log.accept(String.format(Locale.ROOT, "%,d of %,d rows of W are all zero; ignored (they change neither the "
            + "singular values nor ||W||_F)", op.zeroRows(), w.rows()));
      }
      // Beyond the non-empty columns (or rows) every singular value is exactly 0.
      int kSolve = Math.min(k, Math.min(n, w.rows() - (int) op.zeroRows()));
      SolverSettings st = new SolverSettings(cfg.tolerance(), cfg.maxCycles(), cfg.blockSize(), cfg.oversampling(), cfg.seed());
      TruncatedSvd solver = choose(cfg, n, kSolve, st);
      long matrixBytes = w.nnz() * 8L + (w.rows() + 1L) * 8L + w.cols() * 8L;
      long solverBytes = solver instanceof DenseGramSvd ? DenseGramSvd.workingBytes(n)
          : BlockKrylovSvd.workingBytes(n, BlockKrylovSvd.plan(n, kSolve, st));
      if (matrixBytes + solverBytes > res.memoryBytes()) {
        throw new MemoryBudgetException(String.format(Locale.ROOT, "rank %d on W with %,d non-empty columns needs about "
            + "%s (W %s + %s solver) but --memory is %s; raise --memory to %s or lower --rank", kSolve, n,
            human(matrixBytes + solverBytes), human(matrixBytes), human(solverBytes), human(res.memoryBytes()),
            human(roundUpGiB(matrixBytes + solverBytes))));
      }
      log.accept(String.format(Locale.ROOT, "W: %,d x %,d, %,d entries, %,d non-empty columns; solver %s, k = %d, "
          + "~%s working memory, %d threads", w.rows(), w.cols(), w.nnz(), n, solver.name(), k, human(solverBytes),
          op.threads()));
      SvdResult r = kSolve > 0 ? solver.solve(op, kSolve, st)
          : new SvdResult(new double[0], new double[0], 0, 0, true, 0, 0, 0, 0);
      double[] sigma = new double[k];
      double[] acc = new double[k];
      for (int i = 0; i < kSolve; i++) {
        sigma[i] = Math.sqrt(r.lambda()[i] * f2);
        acc[i] = r.relativeError()[i];
      }
      if (kSolve < k) {
        log.accept(String.format(Locale.ROOT, "W has rank at most %d (non-empty rows/columns); σ_%d..σ_%d are exactly 0",
            kSolve, kSolve + 1, k));
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      Spectrum s = new Spectrum(w.rows(), w.cols(), w.nnz(), n, op.zeroRows(), f2, cfg.rank(), sigma, acc,
          solver.name(), r.cycles(), r.converged(), r.operatorColumns(), secs);
      if (!r.converged()) {
        log.accept(String.format(Locale.ROOT, "not every σ reached --tolerance %.1e within --max-cycles %d: largest "
            + "bound %.2e (stored per σ in the accuracy column); raise --max-cycles for more", cfg.tolerance(),
            cfg.maxCycles(), s.maxAccuracy()));
      }
      return s;
    }
  }

  static TruncatedSvd choose(SpectraSpec cfg, int n, int k, SolverSettings st) {
    boolean krylovFits = k > 0 && BlockKrylovSvd.fits(n, BlockKrylovSvd.plan(n, k, st));
    switch (cfg.solver()) {
      case "dense":
        return new DenseGramSvd();
      case "krylov":
        if (!krylovFits) {
          throw new IllegalArgumentException("--solver krylov: k = " + k + " needs a subspace larger than the " + n
              + " non-empty columns of W; use --solver dense (exact at this size) or a smaller --rank");
        }
        return new BlockKrylovSvd();
      default:
        return (n < DENSE_BELOW || !krylovFits) && n <= DenseGramSvd.MAX_DIMENSION ? new DenseGramSvd() : new BlockKrylovSvd();
    }
  }

  /** Refuses W with no rows, no entries, or a NaN/infinite entry (naming its row and column). */
  public static void validate(CsrMatrix w) {
    if (w.rows() == 0) {
      throw new IllegalArgumentException("W has 0 rows: the ngram artifact kept no contexts; use a larger corpus or "
          + "lower --min-count when building it");
    }
    float[] v = w.values();
    for (int p = 0; p < v.length; p++) {
      if (!Float.isFinite(v[p])) {
        int row = rowOf(w.rowOffsets(), p);
        throw new IllegalArgumentException(String.format(Locale.ROOT, "W entry at row %d, column %d is %s; the ngram "
            + "artifact is damaged or was built from bad counts; rebuild it", row, w.colIds()[p], v[p]));
      }
    }
    if (w.frobeniusNormSquared() == 0) {
      throw new IllegalArgumentException("W (" + w.rows() + " x " + w.cols() + ") has no non-zero entry; nothing to "
          + "decompose; check the ngram artifact");
    }
  }

  private static int rowOf(long[] offsets, long p) {
    int lo = 0;
    int hi = offsets.length - 2;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (offsets[mid] <= p) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private static String human(long bytes) {
    return ByteSize.format(bytes);
  }

  private static long roundUpGiB(long bytes) {
    return ((bytes + (1L << 30) - 1) >> 30) << 30;
  }
}
