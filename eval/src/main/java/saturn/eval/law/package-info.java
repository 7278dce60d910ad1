/** Scaling laws: Chinchilla's L(N, D) (approach 3, Huber fit from a grid of L-BFGS starts), Kaplan's L(N), bootstrap. */
package saturn.eval.law;
