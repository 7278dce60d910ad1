package saturn.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import saturn.stage.Inputs;
import saturn.stage.StageSpec;

/**
 * What {@code saturn eval fit} fits: the checkpoints' losses of eval artifacts, or of a CSV file of points, with the
 * laws and settings of {@link FitConfig}.
 *
 * @param evals eval artifacts by full id (empty when {@code csv} is given)
 * @param csv a CSV of points (model, params, step, tokens, loss), or null
 */
public record FitSpec(List<String> evals, Path csv, ScalingFitStage.Laws laws, FitConfig settings) implements StageSpec {

  public FitSpec {
    evals = List.copyOf(Objects.requireNonNull(evals, "evals"));
    for (String e : evals) Inputs.checkId(e, "--evals");
    if (evals.isEmpty() == (csv == null)) {
      throw new IllegalArgumentException("give the points either as eval artifacts or as --csv FILE, not both or neither");
    }
    Objects.requireNonNull(laws, "laws");
    Objects.requireNonNull(settings, "settings");
  }

  @Override
  public List<String> inputIds() {
    return new ArrayList<>(evals);
  }
}
