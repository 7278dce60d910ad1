package saturn.eval.law;

/**
 * One observation for a scaling-law fit.
 *
 * @param label where it came from (a model name, a checkpoint), for messages and tables
 * @param params N: the parameter count the fit uses (total or non-embedding, as the caller chose)
 * @param tokens D: training tokens seen
 * @param loss observed loss (nats per token)
 */
public record ScalingPoint(String label, double params, double tokens, double loss) {
  public ScalingPoint {
    if (!(params > 0) || !Double.isFinite(params)) throw new IllegalArgumentException(label + ": N must be positive and finite, got " + params);
    if (!(loss > 0) || !Double.isFinite(loss)) throw new IllegalArgumentException(label + ": loss must be positive and finite, got " + loss);
    if (Double.isNaN(tokens) || tokens < 0) throw new IllegalArgumentException(label + ": D must be >= 0, got " + tokens);
  }
}
