/** The ngram stage: exact n-gram counts in a Lucene store, the context-to-next-token matrix W, queries and exports. */
package saturn.ngram;
