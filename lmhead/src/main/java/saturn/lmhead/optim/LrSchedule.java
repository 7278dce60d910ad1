package saturn.lmhead.optim;

/**
 * Linear warm-up from lr/warmup to lr over {@code warmupSteps}, then cosine decay to {@code minRatio}·lr at
 * {@code totalSteps} (Pythia: 1% warm-up, decay to 10%). Steps are 0-based.
 */
public record LrSchedule(double maxLr, int warmupSteps, int totalSteps, double minRatio) {

  public LrSchedule {
    if (maxLr <= 0) throw new IllegalArgumentException("learning rate must be > 0: " + maxLr);
    if (warmupSteps < 0 || totalSteps < 1) throw new IllegalArgumentException("warm-up >= 0 and total steps >= 1 required");
  }

  public static LrSchedule constant(double lr) {
    return new LrSchedule(lr, 0, Integer.MAX_VALUE, 1.0);
  }

  public double lr(long step) {
    if (step < warmupSteps) return maxLr * (step + 1) / warmupSteps;
    if (minRatio == 1.0) return maxLr;
    long span = Math.max(1, totalSteps - warmupSteps);
    double progress = Math.min(1.0, (double) (step - warmupSteps) / span);
    double min = maxLr * minRatio;
    return min + 0.5 * (maxLr - min) * (1 + Math.cos(Math.PI * progress));
  }
}
