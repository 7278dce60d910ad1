package saturn.spectra.internal;

/**
 * What a solver returns: the top eigenvalues of the normalised Gram operator (λ_i = σ_i² / ||W||_F², descending) and
 * for each a bound on the relative error of σ_i from its residual norm (see {@link BlockKrylovSvd}).
 *
 * @param lambda λ_1 ≥ λ_2 ≥ … (length k)
 * @param relativeError bound on |σ_i − σ_true| / σ_i (capped at 1)
 * @param cycles restart cycles run (1 for the dense solver)
 * @param operatorColumns number of operator applications to single vectors (block applications × block width)
 * @param converged whether every bound reached the tolerance
 * @param blockSize block width used (0 for dense)
 * @param subspace largest subspace dimension used
 * @param sparseSeconds time in the sparse kernel
 * @param denseSeconds time in everything else (dense kernels, Rayleigh–Ritz)
 */
public record SvdResult(double[] lambda, double[] relativeError, int cycles, long operatorColumns, boolean converged,
    int blockSize, int subspace, double sparseSeconds, double denseSeconds) {}
