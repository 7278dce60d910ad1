package saturn.ngram;

import java.util.List;
import java.util.Locale;

/**
 * How to count: n-gram order, which splits of the token artifacts, and the resources to use. Only {@code order} and
 * {@code splits} decide what is counted (and so the artifact id); the memory budget and thread count only decide how
 * fast, and are recorded as provenance.
 *
 * @param order n-gram order, 2..8 (context = the first order-1 tokens)
 * @param splits token artifact splits to count ({@code train}, {@code val})
 * @param memoryBudgetBytes heap the count may use for its buffers; beyond it sorted runs spill to the workspace
 * @param threads counting threads
 */
public record NgramConfig(int order, List<String> splits, long memoryBudgetBytes, int threads) {
  public static final int DEFAULT_ORDER = 5;
  public static final long DEFAULT_MEMORY = 2L << 30;

  public NgramConfig {
    if (order < 2 || order > 8) throw new IllegalArgumentException("--order must be in [2, 8]: " + order);
    splits = List.copyOf(splits == null || splits.isEmpty() ? List.of("train") : splits);
    for (String s : splits) {
      if (!s.equals("train") && !s.equals("val")) throw new IllegalArgumentException("split must be train or val: " + s);
    }
    if (memoryBudgetBytes < 1024) throw new IllegalArgumentException("--memory must be at least 1k: " + memoryBudgetBytes);
    if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1: " + threads);
  }

  public static NgramConfig defaults() {
    return new NgramConfig(DEFAULT_ORDER, List.of("train"), DEFAULT_MEMORY, Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  public NgramConfig withOrder(int o) {
    return new NgramConfig(o, splits, memoryBudgetBytes, threads);
  }

  public NgramConfig withMemory(long bytes) {
    return new NgramConfig(order, splits, bytes, threads);
  }

  public NgramConfig withThreads(int t) {
    return new NgramConfig(order, splits, memoryBudgetBytes, t);
  }

  public NgramConfig withSplits(List<String> s) {
    return new NgramConfig(order, s, memoryBudgetBytes, threads);
  }

  /** What decides the counts (the artifact id); {@code mergedInto} is the existing count artifact for a merge. */
  public record CountSpec(int order, List<String> splits, String mergedInto) {}

  /** Parses {@code 2g}, {@code 512m}, {@code 64k} or a byte count. */
  public static long parseBytes(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    long mult = 1;
    if (t.endsWith("b")) t = t.substring(0, t.length() - 1);
    if (t.endsWith("k")) mult = 1L << 10;
    else if (t.endsWith("m")) mult = 1L << 20;
    else if (t.endsWith("g")) mult = 1L << 30;
    else if (t.endsWith("t")) mult = 1L << 40;
    if (mult > 1) t = t.substring(0, t.length() - 1);
    try {
      return Math.round(Double.parseDouble(t) * mult);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a size: '" + s + "' (use e.g. 2g, 512m, 64k)");
    }
  }
}
