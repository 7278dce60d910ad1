/** Solvers and kernels behind the spectra stage: the CSR Gram operator, block Krylov–Schur and dense solvers, charts. */
package saturn.spectra.internal;
