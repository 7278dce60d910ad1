package saturn.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import saturn.stage.Inputs;
import saturn.stage.StageSpec;

/**
 * What {@code saturn eval} scores: one or more checkpoint series on the held-out split of one token artifact, with the
 * metric settings of {@link EvalConfig}.
 *
 * @param checkpoints each a checkpoint artifact id, a directory of Hugging Face checkpoints, or a hub id owner/name
 * @param revisions hub revisions to fetch for hub ids (empty: main)
 * @param tokens the token artifact whose validation split is scored, by full id
 * @param settings what to measure and how (sample size, window length, seeds, ...)
 */
public record EvalSpec(List<String> checkpoints, List<String> revisions, String tokens, EvalConfig settings)
    implements StageSpec {

  public EvalSpec {
    checkpoints = List.copyOf(Objects.requireNonNull(checkpoints, "checkpoints"));
    if (checkpoints.isEmpty()) throw new IllegalArgumentException("no checkpoints given; pass --checkpoints ID|DIR|HUB_ID");
    revisions = List.copyOf(revisions == null ? List.of() : revisions);
    Inputs.checkId(tokens, "--tokens");
    Objects.requireNonNull(settings, "settings");
  }

  /** The checkpoint artifacts among {@link #checkpoints} (directories and hub ids are files, hashed by the stage). */
  @Override
  public List<String> inputIds() {
    List<String> ids = new ArrayList<>();
    for (String c : checkpoints) if (isArtifactId(c)) ids.add(c);
    ids.add(tokens);
    return ids;
  }

  static boolean isArtifactId(String s) {
    return s.matches(CheckpointSource.CHECKPOINT_STAGE + "-[0-9a-f]{16}");
  }
}
