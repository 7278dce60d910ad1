package saturn.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import saturn.eval.law.ChinchillaFitter;
import saturn.eval.law.ChinchillaLaw;
import saturn.eval.law.ScalingPoint;

/**
 * Saturation verdicts (methods.md §1.3): per model size, the best and final checkpoint losses, the loss predicted at
 * the same (N, D) by a Chinchilla law fitted on the <em>reference</em> (larger) sizes only, the relative gaps
 * (L_obs − L_pred)/L_pred, and whether the loss rose late in training.
 */
public final class Saturation {
  private Saturation() {}

  /**
   * One model's verdict.
   *
   * @param reference whether this model's checkpoints fitted the law (its gaps are then in-sample)
   * @param riseStartStep step of the minimum of the smoothed loss when the loss rose late after it, else -1
   * @param riseRelative (smoothed final − smoothed minimum) / smoothed minimum
   */
  public record Verdict(String model, double params, boolean reference, long bestStep, double bestTokens, double bestLoss,
      long finalStep, double finalTokens, double finalLoss, double predictedBest, double predictedFinal, double gapBest,
      double gapFinal, boolean roseLate, long riseStartStep, double riseRelative) {}

  /** Verdicts and the reference law they were judged against. */
  public record Result(ChinchillaFitter.Fit referenceFit, List<String> referenceModels, int referencePoints, List<Verdict> verdicts) {}

  /** Groups checkpoints by model, sorted by step. */
  public static Map<String, List<CheckpointLoss>> byModel(List<CheckpointLoss> all) {
    Map<String, List<CheckpointLoss>> m = new LinkedHashMap<>();
    for (CheckpointLoss c : all) m.computeIfAbsent(c.model(), k -> new ArrayList<>()).add(c);
    for (List<CheckpointLoss> l : m.values()) l.sort(Comparator.comparingLong(CheckpointLoss::step).thenComparingDouble(CheckpointLoss::tokens));
    return m;
  }

  public static Result judge(List<CheckpointLoss> all, FitConfig cfg) {
    Map<String, List<CheckpointLoss>> models = byModel(all);
    for (Map.Entry<String, List<CheckpointLoss>> e : models.entrySet()) {
      double n0 = e.getValue().get(0).params(cfg.params());
      for (CheckpointLoss c : e.getValue()) {
        if (c.params(cfg.params()) != n0) {
          throw new IllegalArgumentException("model " + e.getKey() + " has checkpoints with different parameter counts ("
              + n0 + " and " + c.params(cfg.params()) + "); give each size its own model name");
        }
      }
    }
    List<String> refs = cfg.referenceModels().isEmpty() ? largerHalf(models, cfg) : cfg.referenceModels();
    for (String r : refs) {
      if (!models.containsKey(r)) throw new IllegalArgumentException("reference model '" + r + "' is not in the data; models: " + models.keySet());
    }
    if (new java.util.HashSet<>(refs).stream().map(r -> models.get(r).get(0).params(cfg.params())).distinct().count() < 2) {
      throw new IllegalArgumentException("the reference law needs at least 2 model sizes to identify its N exponent, got " + refs
          + "; pass --reference-models with two or more sizes (models: " + models.keySet() + ")");
    }
    List<ScalingPoint> pts = new ArrayList<>();
    for (String r : refs) {
      List<CheckpointLoss> cks = models.get(r);
      double maxD = cks.stream().mapToDouble(CheckpointLoss::tokens).max().orElse(0);
      for (CheckpointLoss c : cks) {
        if (c.tokens() > 0 && c.tokens() >= cfg.minTokensFraction() * maxD) {
          pts.add(new ScalingPoint(r + "@" + c.step(), c.params(cfg.params()), c.tokens(), c.loss()));
        }
      }
    }
    ChinchillaFitter.Fit fit = new ChinchillaFitter(cfg.fitterOptions()).fit(pts);
    ChinchillaLaw law = fit.law();
    List<Verdict> out = new ArrayList<>();
    for (Map.Entry<String, List<CheckpointLoss>> e : models.entrySet()) {
      out.add(verdict(e.getKey(), e.getValue(), law, refs.contains(e.getKey()), cfg));
    }
    out.sort(Comparator.comparingDouble(Verdict::params));
    return new Result(fit, List.copyOf(refs), pts.size(), out);
  }

  static Verdict verdict(String model, List<CheckpointLoss> cks, ChinchillaLaw law, boolean reference, FitConfig cfg) {
    double n = cks.get(0).params(cfg.params());
    CheckpointLoss best = cks.get(0);
    for (CheckpointLoss c : cks) if (c.loss() < best.loss()) best = c;
    CheckpointLoss fin = cks.get(cks.size() - 1);
    double predBest = best.tokens() > 0 ? law.loss(n, best.tokens()) : Double.NaN;
    double predFinal = fin.tokens() > 0 ? law.loss(n, fin.tokens()) : Double.NaN;
    double[] smooth = smoothed(cks, cfg.smoothingWindow());
    int argMin = 0;
    for (int i = 1; i < smooth.length; i++) if (smooth[i] < smooth[argMin]) argMin = i;
    double rise = (smooth[smooth.length - 1] - smooth[argMin]) / smooth[argMin];
    boolean roseLate = argMin < smooth.length - 1 && rise > cfg.riseTolerance();
    return new Verdict(model, n, reference, best.step(), best.tokens(), best.loss(), fin.step(), fin.tokens(), fin.loss(),
        predBest, predFinal, (best.loss() - predBest) / predBest, (fin.loss() - predFinal) / predFinal, roseLate,
        roseLate ? cks.get(argMin).step() : -1, rise);
  }

  /** Centred moving average over checkpoints (window shrinks at the ends), so one noisy checkpoint is not a trend. */
  static double[] smoothed(List<CheckpointLoss> cks, int window) {
    int h = window / 2;
    double[] out = new double[cks.size()];
    for (int i = 0; i < out.length; i++) {
      int lo = Math.max(0, i - h), hi = Math.min(out.length - 1, i + h);
      int w = Math.min(i - lo, hi - i); // symmetric, so the ends are not biased towards their neighbours
      double s = 0;
      for (int j = i - w; j <= i + w; j++) s += cks.get(j).loss();
      out[i] = s / (2 * w + 1);
    }
    return out;
  }

  /** The larger half of the distinct model sizes (at least two sizes), by the chosen parameter count. */
  static List<String> largerHalf(Map<String, List<CheckpointLoss>> models, FitConfig cfg) {
    TreeMap<Double, List<String>> bySize = new TreeMap<>(Comparator.reverseOrder());
    for (Map.Entry<String, List<CheckpointLoss>> e : models.entrySet()) {
      bySize.computeIfAbsent(e.getValue().get(0).params(cfg.params()), k -> new ArrayList<>()).add(e.getKey());
    }
    int sizes = bySize.size();
    int take = Math.max(2, sizes / 2);
    if (sizes < 3) {
      throw new IllegalArgumentException("saturation verdicts need at least 3 model sizes (2 to fit the reference law on, 1 to"
          + " judge), got " + sizes + " (" + models.keySet() + "); or name them with --reference-models");
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    for (List<String> names : bySize.values()) {
      if (i++ >= take) break;
      out.addAll(names);
    }
    return out;
  }
}
