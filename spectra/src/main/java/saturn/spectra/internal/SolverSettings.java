package saturn.spectra.internal;

/**
 * Solver knobs (resolved values; 0 means "choose" where noted).
 *
 * @param tolerance stop when every bound on the relative error of σ_i (i ≤ k) is at most this
 * @param maxCycles restart cycles at most
 * @param blockSize block width b (0: choose from k)
 * @param oversampling extra Ritz vectors kept beyond k (0: choose)
 * @param seed seed of the random start block
 */
public record SolverSettings(double tolerance, int maxCycles, int blockSize, int oversampling, long seed) {}
