package saturn.spectra.internal;

/** A solver for the top-k eigenvalues of the normalised Gram operator of W, i.e. the top-k singular values of W. */
public interface TruncatedSvd {
  String name();

  /** Top {@code k} (≤ op.dimension()) eigenvalues of {@code op}, descending, each with an error bound. */
  SvdResult solve(GramOperator op, int k, SolverSettings settings);
}
