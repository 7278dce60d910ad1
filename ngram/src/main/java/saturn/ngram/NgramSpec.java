package saturn.ngram;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import saturn.stage.Inputs;
import saturn.stage.StageSpec;

/**
 * What the ngram stage counts: the n-grams of the given token artifacts, optionally added to an existing count
 * artifact. Only these settings decide the counts (and so the artifact id); threads and the memory budget decide how
 * fast, and come from the stage's {@link saturn.stage.Resources}.
 *
 * @param tokens token artifacts to count, by full id, each once
 * @param mergeInto an existing count artifact the new counts are added to (its inputs are not recounted), or null
 * @param order n-gram order, 2..8 (context = the first order-1 tokens)
 * @param splits token artifact splits to count ({@code train}, {@code val})
 */
public record NgramSpec(List<String> tokens, String mergeInto, int order, List<String> splits) implements StageSpec {
  public static final int DEFAULT_ORDER = 5;
  public static final List<String> DEFAULT_SPLITS = List.of("train");

  public NgramSpec {
    tokens = List.copyOf(Objects.requireNonNull(tokens, "tokens"));
    if (tokens.isEmpty()) throw new IllegalArgumentException("no token artifact given; run `saturn ingest` first or pass --tokens ID");
    for (String t : tokens) Inputs.checkId(t, "--tokens");
    if (mergeInto != null) Inputs.checkId(mergeInto, "--merge-into");
    if (order < 2 || order > 8) throw new IllegalArgumentException("--order must be in [2, 8]: " + order);
    splits = List.copyOf(splits == null || splits.isEmpty() ? DEFAULT_SPLITS : splits);
    for (String s : splits) {
      if (!s.equals("train") && !s.equals("val")) throw new IllegalArgumentException("--splits: " + s + " is not train or val");
    }
    if (splits.stream().distinct().count() != splits.size()) {
      throw new IllegalArgumentException("--splits names a split twice: " + splits + "; its n-grams would count twice");
    }
  }

  /** The existing counts first (when merging), then the token artifacts. */
  @Override
  public List<String> inputIds() {
    List<String> ids = new ArrayList<>();
    if (mergeInto != null) ids.add(mergeInto);
    ids.addAll(tokens);
    return ids;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder: {@code setTokens} is required, the rest optional with the defaults above. */
  public static final class Builder {
    private List<String> tokens = List.of();
    private String mergeInto;
    private int order = DEFAULT_ORDER;
    private List<String> splits = DEFAULT_SPLITS;

    public Builder setTokens(List<String> v) { tokens = v; return this; }
    public Builder setTokens(String... v) { tokens = List.of(v); return this; }
    public Builder optMergeInto(String v) { mergeInto = v; return this; }
    public Builder optOrder(int v) { order = v; return this; }
    public Builder optSplits(List<String> v) { splits = v; return this; }

    public NgramSpec build() {
      return new NgramSpec(tokens, mergeInto, order, splits);
    }
  }
}
