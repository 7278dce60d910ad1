/** The ingest stage's machinery: ordered parallel tokenization, splitting, progress. */
package saturn.ingest.internal;
