package saturn.eval;

/**
 * The loss of one checkpoint, as the fits and verdicts see it.
 *
 * @param model model name (one line per model in charts)
 * @param paramsTotal all parameters
 * @param paramsNonEmbedding parameters without embeddings and head (NaN when unknown)
 * @param step training step (-1 when unknown)
 * @param tokens training tokens seen, D
 * @param loss held-out cross-entropy in nats
 */
public record CheckpointLoss(String model, double paramsTotal, double paramsNonEmbedding, long step, double tokens, double loss) {
  public double params(ParamsKind kind) {
    double n = kind == ParamsKind.TOTAL ? paramsTotal : paramsNonEmbedding;
    if (!(n > 0)) {
      throw new IllegalArgumentException(model + (step >= 0 ? " step " + step : "") + ": no " + kind.name().toLowerCase().replace('_', '-')
          + " parameter count; give that column in the CSV or use --params " + (kind == ParamsKind.TOTAL ? "non-embedding" : "total"));
    }
    return n;
  }
}
