/** Checkpoint metrics as small stateless routines (EJML style): anisotropy, singular-value statistics, head spectrum, softmax collapse, cross-entropy. */
package saturn.eval.metrics;
