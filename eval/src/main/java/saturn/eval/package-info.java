/** The eval stage's public API: checkpoint evaluation, scaling-law fits with saturation verdicts, and the head-rank probe. */
package saturn.eval;
