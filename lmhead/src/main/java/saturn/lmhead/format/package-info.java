/** On-disk formats of lmhead: safetensors (model weights, optimizer state) as Format/Writer/Reader. */
package saturn.lmhead.format;
