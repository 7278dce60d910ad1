/** Corpus readers, one per input format (txt, jsonl, Arrow IPC, Parquet, Lucene line-doc), gzip/zstd aware. */
package saturn.ingest.read;
