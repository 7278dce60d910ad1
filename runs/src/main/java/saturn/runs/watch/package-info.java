/** Scheduled reprocessing: watch a folder of corpora, run only what new or changed corpora affect. */
package saturn.runs.watch;
