/** Tokenizer resolution (tokenizer.json, hub id, built-in gpt2) and thread-safe encoding through DJL's HF tokenizers. */
package saturn.ingest.tokenize;
