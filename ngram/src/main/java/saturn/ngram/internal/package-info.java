/** Counting machinery: packed keys, radix-sorted buffers, spilled runs and their k-way merge. */
package saturn.ngram.internal;
