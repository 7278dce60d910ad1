/** lmhead: GPT-NeoX-style models on DJL, softmax/StableMax/low-rank heads, ⊥AdamW, training, checkpoints, grokking. */
package saturn.lmhead;
