package saturn.lmhead;

import java.util.Locale;

/**
 * The output head and its loss: {@code softmax}, {@code stablemax}, {@code lowrank:R} or {@code lowrank:R+stablemax}.
 * A low-rank head computes logits = A(B h) with B ∈ R^{R×d}, A ∈ R^{V×R}. StableMax is computed in float64 (as the
 * reference does) unless {@code stableMaxFloat64} is false.
 *
 * @param loss softmax cross-entropy or StableMax cross-entropy
 * @param rank inner rank of the head, 0 for a full V×d head
 * @param stableMaxFloat64 compute StableMax in float64
 */
public record HeadSpec(Loss loss, int rank, boolean stableMaxFloat64) {

  public enum Loss { SOFTMAX, STABLEMAX }

  public HeadSpec {
    if (rank < 0) throw new IllegalArgumentException("head rank must be >= 0: " + rank);
  }

  public static final HeadSpec SOFTMAX = new HeadSpec(Loss.SOFTMAX, 0, true);

  /** Parses the {@code --head} syntax. */
  public static HeadSpec parse(String text, boolean stableMaxFloat64) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    Loss loss = Loss.SOFTMAX;
    int rank = 0;
    for (String part : s.split("\\+")) {
      if (part.equals("softmax")) loss = Loss.SOFTMAX;
      else if (part.equals("stablemax")) loss = Loss.STABLEMAX;
      else if (part.startsWith("lowrank:")) {
        try {
          rank = Integer.parseInt(part.substring("lowrank:".length()));
        } catch (NumberFormatException e) {
          rank = -1;
        }
        if (rank < 1) throw new IllegalArgumentException("--head " + text + ": lowrank needs a positive rank, e.g. lowrank:64");
      } else {
        throw new IllegalArgumentException("--head " + text + ": expected softmax, stablemax, lowrank:R or lowrank:R+stablemax");
      }
    }
    return new HeadSpec(loss, rank, stableMaxFloat64);
  }

  public boolean lowRank() {
    return rank > 0;
  }

  /** The {@code --head} form. */
  public String label() {
    String l = loss == Loss.STABLEMAX ? "stablemax" : "softmax";
    return rank > 0 ? "lowrank:" + rank + (loss == Loss.STABLEMAX ? "+stablemax" : "") : l;
  }
}
