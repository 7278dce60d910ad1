package saturn.ngram;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a count holds: distinct n-grams and contexts, total occurrences, and the count distribution (counts of
 * counts for 1..10 and above, as KenLM and Good-Turing users expect, plus the largest count).
 */
public record NgramCountStats(int order, long ngrams, long distinctNgrams, long distinctContexts, long maxCount,
    Map<String, Long> countsOfCounts) {

  /** Accumulates statistics over a sorted stream. */
  public static final class Builder {
    private final int order;
    private long ngrams;
    private long distinct;
    private long contexts;
    private long max;
    private final long[] coc = new long[11];

    public Builder(int order) {
      this.order = order;
    }

    public void add(long count, boolean newContext) {
      ngrams += count;
      distinct++;
      if (newContext) contexts++;
      if (count > max) max = count;
      coc[(int) Math.min(10, count - 1)]++;
    }

    /** Adds the statistics of another partition (disjoint contexts). */
    public void add(Builder other) {
      ngrams += other.ngrams;
      distinct += other.distinct;
      contexts += other.contexts;
      max = Math.max(max, other.max);
      for (int i = 0; i < coc.length; i++) coc[i] += other.coc[i];
    }

    public NgramCountStats build() {
      Map<String, Long> m = new LinkedHashMap<>();
      for (int i = 0; i < 10; i++) m.put(Integer.toString(i + 1), coc[i]);
      m.put(">10", coc[10]);
      return new NgramCountStats(order, ngrams, distinct, contexts, max, m);
    }
  }
}
