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

  /** The names {@link #parse} accepts, in the CLI, run specs and messages. */
  public static final java.util.List<String> NAMES = java.util.List.of("adamw", "ortho-adamw", "sgd", "ortho-sgd");
  /** GPT-NeoX / Pythia's AdamW settings, the defaults of language-model training. */
  public static final double DEFAULT_WEIGHT_DECAY = 0.1;
  public static final double DEFAULT_BETA1 = 0.9;
  public static final double DEFAULT_BETA2 = 0.95;
  public static final double DEFAULT_GRAD_CLIP_NORM = 1.0;
  public static final double DEFAULT_MOMENTUM = 0.9;
  public static final double DEFAULT_EPSILON = 1e-8;

  public OptimizerConfig {
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("--weight-decay must be a finite number >= 0, got " + weightDecay);
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("--beta1 and --beta2 must be in [0, 1), got " + beta1 + " and " + beta2);
    }
    if (!(epsilon >= 0) || Double.isInfinite(epsilon)) throw new IllegalArgumentException("--adam-epsilon must be >= 0: " + epsilon);
    if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("--momentum must be in [0, 1): " + momentum);
    if (!(gradClipNorm >= 0) || Double.isInfinite(gradClipNorm)) {
      throw new IllegalArgumentException("--grad-clip must be a finite number >= 0 (0: no clipping), got " + gradClipNorm);
    }
  }

  /** {@code adamw}, {@code ortho-adamw}, {@code sgd} or {@code ortho-sgd} with the given defaults for the rest. */
  public static OptimizerConfig parse(String name, double weightDecay, double beta1, double beta2, double gradClipNorm) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "adamw" -> new OptimizerConfig(Kind.ADAMW, false, beta1, beta2, DEFAULT_EPSILON, weightDecay, false, 0, gradClipNorm);
      case "ortho-adamw", "orthoadamw", "⊥adamw" ->
          new OptimizerConfig(Kind.ADAMW, true, beta1, beta2, DEFAULT_EPSILON, weightDecay, false, 0, gradClipNorm);
      case "sgd" -> new OptimizerConfig(Kind.SGD, false, 0, 0, 0, weightDecay, false, DEFAULT_MOMENTUM, gradClipNorm);
      case "ortho-sgd" -> new OptimizerConfig(Kind.SGD, true, 0, 0, 0, weightDecay, false, DEFAULT_MOMENTUM, gradClipNorm);
      default -> throw new IllegalArgumentException("--optimizer " + name + ": expected " + String.join(", ", NAMES));
    };
  }

  /** {@code name} with the language-model defaults above. */
  public static OptimizerConfig defaults(String name) {
    return parse(name, DEFAULT_WEIGHT_DECAY, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_GRAD_CLIP_NORM);
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
