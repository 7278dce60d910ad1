/** On-disk formats of the ngram stage: the Lucene n-gram store, W as Arrow CSR, npz and Matrix Market exports. */
package saturn.ngram.format;
