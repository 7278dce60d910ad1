package saturn.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import saturn.stage.Inputs;
import saturn.stage.StageSpec;

/**
 * What {@code saturn eval probe-head} measures: the frozen backbone of one checkpoint (a checkpoint artifact, a
 * directory or a hub id, at {@code settings.step()}) with rank-constrained heads trained on one token artifact.
 *
 * @param checkpoints the checkpoint series the backbone is taken from
 * @param revisions hub revisions when {@code checkpoints} is a hub id
 * @param tokens the token artifact (train split trains the heads, validation split scores them), by full id
 */
public record ProbeSpec(String checkpoints, List<String> revisions, String tokens, ProbeConfig settings) implements StageSpec {

  public ProbeSpec {
    Objects.requireNonNull(checkpoints, "--checkpoints");
    revisions = List.copyOf(revisions == null ? List.of() : revisions);
    Inputs.checkId(tokens, "--tokens");
    Objects.requireNonNull(settings, "settings");
  }

  @Override
  public List<String> inputIds() {
    List<String> ids = new ArrayList<>();
    if (EvalSpec.isArtifactId(checkpoints)) ids.add(checkpoints);
    ids.add(tokens);
    return ids;
  }
}
