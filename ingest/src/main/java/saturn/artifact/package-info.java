/**
 * The artifact store every stage shares: a workspace of immutable, checksummed artifact directories, each published
 * atomically with a {@code manifest.json} that records its provenance.
 */
package saturn.artifact;
