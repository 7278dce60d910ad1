/** Optimizers written on NDArrays so their state can be checkpointed: AdamW, ⊥AdamW (⊥Grad), SGD; LR schedule. */
package saturn.lmhead.optim;
