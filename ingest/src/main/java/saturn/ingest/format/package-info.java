/** On-disk formats of the ingest stage: llm.c-compatible token shards and their document index. */
package saturn.ingest.format;
