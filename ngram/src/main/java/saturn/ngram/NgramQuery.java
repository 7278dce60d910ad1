package saturn.ngram;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import saturn.ngram.format.NgramStoreReader;
import saturn.ngram.internal.TextTokenizer;

/**
 * Queries against a count artifact: the next-token distribution of a context (top-k with counts, probabilities and
 * decoded text) and the count of a full n-gram. Keep one open for many queries: opening verifies the store's
 * checksums once; each query is then a seek in the memory-mapped terms dictionary.
 */
public final class NgramQuery implements AutoCloseable {
  private final NgramCounts counts;
  private final NgramStoreReader store;
  private TextTokenizer tokenizer;

  /** One next token: id, decoded text (null without a tokenizer), count and P(next | context). */
  public record Next(int token, String text, long count, double probability) {}

  /** The answer to a context query: the context actually used (the last order-1 tokens), its total count, top-k. */
  public record Answer(int[] context, long contextCount, int continuations, List<Next> top) {}

  public NgramQuery(NgramCounts counts, boolean verifyChecksums) throws IOException {
    this.counts = counts;
    this.store = counts.open(verifyChecksums);
  }

  public NgramCounts counts() {
    return counts;
  }

  private TextTokenizer tokenizer() throws IOException {
    if (tokenizer == null) {
      Optional<Path> f = counts.tokenizerFile();
      if (f.isEmpty()) {
        throw new IllegalArgumentException(counts.id() + " has no tokenizer.json (its token artifact had none); query with --ids");
      }
      tokenizer = new TextTokenizer(f.get());
    }
    return tokenizer;
  }

  /** Tokenizes text with the artifact's tokenizer (no special tokens). */
  public int[] tokenize(String text) throws IOException {
    return tokenizer().encode(text);
  }

  /** Decoded text of a token, or null when the artifact has no tokenizer. */
  public String decode(int token) throws IOException {
    if (counts.tokenizerFile().isEmpty()) return null;
    return tokenizer().decode(token);
  }

  /** The k most frequent continuations of the last order-1 tokens of {@code context} (fewer tokens: a prefix query). */
  public Answer next(int[] context, int k) throws IOException {
    int keep = Math.min(context.length, counts.order() - 1);
    int[] ctx = Arrays.copyOfRange(context, context.length - keep, context.length);
    for (int t : ctx) {
      if (t < 0 || t >= counts.vocabSize()) {
        throw new IllegalArgumentException("token id " + t + " outside the vocabulary [0, " + counts.vocabSize() + ")");
      }
    }
    List<NgramStoreReader.Continuation> all = store.continuations(ctx);
    long total = 0;
    for (NgramStoreReader.Continuation c : all) total += c.count();
    List<Next> top = new ArrayList<>();
    for (NgramStoreReader.Continuation c : topK(all, k)) {
      top.add(new Next(c.token(), tokenizer == null && counts.tokenizerFile().isEmpty() ? null : decode(c.token()), c.count(),
          (double) c.count() / total));
    }
    return new Answer(ctx, total, all.size(), top);
  }

  /** The count of a full n-gram (order tokens). */
  public long count(int[] ngram) throws IOException {
    return store.count(ngram);
  }

  /** The k largest by count, ties by token id; O(n log k). */
  public static List<NgramStoreReader.Continuation> topK(List<NgramStoreReader.Continuation> all, int k) {
    Comparator<NgramStoreReader.Continuation> order = Comparator.comparingLong(NgramStoreReader.Continuation::count)
        .thenComparing(Comparator.comparingInt(NgramStoreReader.Continuation::token).reversed());
    PriorityQueue<NgramStoreReader.Continuation> heap = new PriorityQueue<>(order);
    for (NgramStoreReader.Continuation c : all) {
      if (heap.size() < k) heap.add(c);
      else if (order.compare(c, heap.peek()) > 0) {
        heap.poll();
        heap.add(c);
      }
    }
    List<NgramStoreReader.Continuation> out = new ArrayList<>(heap);
    out.sort(order.reversed());
    return out;
  }

  @Override
  public void close() throws IOException {
    store.close();
    if (tokenizer != null) tokenizer.close();
  }
}
