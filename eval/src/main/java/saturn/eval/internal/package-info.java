/** Eval internals: the per-checkpoint evaluator over the tensor engine. */
package saturn.eval.internal;
