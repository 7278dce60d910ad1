package saturn.lmhead.optim;

import java.util.Locale;

/**
 * Optimizer settings. {@code orthogonal} applies ⊥Grad (methods.md §2) to each tensor's gradient before the base
 * step; {@code ortho-adamw} is AdamW with it. Weight decay is decoupled (AdamW) or L2-in-gradient (SGD, as torch);
 * it applies to tensors of rank >= 2 unless {@code decayAllTensors}.
 */
public record OptimizerConfig(Kind kind, boolean orthogonal, double beta1, double beta2, double epsilon,
    double weightDecay, boolean decayAllTensors, double momentum, double gradClipNorm) {

  public enum Kind { ADAMW, SGD }

  public OptimizerConfig {
    if (weightDecay < 0) throw new IllegalArgumentException("weight decay must be >= 0: " + weightDecay);
    if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) throw new IllegalArgumentException("betas must be in [0, 1)");
  }

  /** {@code adamw}, {@code ortho-adamw}, {@code sgd} or {@code ortho-sgd} with the given defaults for the rest. */
  public static OptimizerConfig parse(String name, double weightDecay, double beta1, double beta2, double gradClipNorm) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "adamw" -> new OptimizerConfig(Kind.ADAMW, false, beta1, beta2, 1e-8, weightDecay, false, 0, gradClipNorm);
      case "ortho-adamw", "orthoadamw", "⊥adamw" -> new OptimizerConfig(Kind.ADAMW, true, beta1, beta2, 1e-8, weightDecay, false, 0, gradClipNorm);
      case "sgd" -> new OptimizerConfig(Kind.SGD, false, 0, 0, 0, weightDecay, false, 0.9, gradClipNorm);
      case "ortho-sgd" -> new OptimizerConfig(Kind.SGD, true, 0, 0, 0, weightDecay, false, 0.9, gradClipNorm);
      default -> throw new IllegalArgumentException("--optimizer " + name + ": expected adamw, ortho-adamw, sgd or ortho-sgd");
    };
  }

  public OptimizerConfig withDecayAllTensors(boolean all) {
    return new OptimizerConfig(kind, orthogonal, beta1, beta2, epsilon, weightDecay, all, momentum, gradClipNorm);
  }

  public OptimizerConfig withEpsilon(double eps) {
    return new OptimizerConfig(kind, orthogonal, beta1, beta2, eps, weightDecay, decayAllTensors, momentum, gradClipNorm);
  }

  public OptimizerConfig withMomentum(double m) {
    return new OptimizerConfig(kind, orthogonal, beta1, beta2, epsilon, weightDecay, decayAllTensors, m, gradClipNorm);
  }

  public String label() {
    return (orthogonal ? "ortho-" : "") + kind.name().toLowerCase(Locale.ROOT);
  }
}
