package saturn.eval.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.stream.IntStream;
import saturn.eval.TokenSample;
import saturn.eval.metrics.Anisotropy;
import saturn.eval.metrics.HeadSpectrum;
import saturn.eval.metrics.SingularSpectrum;
import saturn.eval.metrics.SoftmaxCollapse;
import saturn.lmhead.GptNeoXConfig;
import saturn.lmhead.GptNeoXModel;
import saturn.lmhead.HeadSpec;
import saturn.lmhead.Losses;

/** Scores one loaded model on a {@link TokenSample}: loss, collapse, anisotropy per layer, head spectrum. */
public final class CheckpointEvaluator {
  private CheckpointEvaluator() {}

  private static final double[] NOT_COLLAPSED = new double[6];

  /** Above this fraction of near-threshold rows a batch's logits are copied whole instead of row by row (tests vary it). */
  public static volatile double copyAllRowsFraction = 0.125;

  /**
   * One checkpoint's metrics.
   *
   * @param loss mean held-out cross-entropy (nats/token)
   * @param scoredTokens tokens scored
   * @param collapse fraction of tokens whose softmax sum rounds to 1, in fp64, fp32, fp16
   * @param zeroLoss fraction of tokens whose loss is exactly 0, in fp64, fp32, fp16
   * @param perPosition mean loss at each window position (null unless asked)
   * @param anisotropy per HF hidden-state index (0 embeddings … L final LayerNorm output); empty when not asked
   * @param anisotropyTokens hidden states per layer that entered the anisotropy
   * @param sigma head singular values, largest first
   * @param headRows head rows the spectrum used
   * @param forwardSeconds wall time of the forward passes and scoring
   */
  public record Metrics(double loss, long scoredTokens, double[] collapse, double[] zeroLoss, double[] perPosition,
      double[] anisotropy, int anisotropyTokens, double[] sigma, int headRows, double singularEntropy,
      double normalizedEntropy, double effectiveRank, double forwardSeconds) {}

  /**
   * log p(y) under the model's own head: softmax, or StableMax for a model trained with it (its predictive
   * distribution is s(z)/Σ s(z), and its softmax cross-entropy is not what it was trained to lower).
   */
  static float[] logProbabilities(HeadSpec head, NDArray logits, NDArray y) {
    if (head.loss() != HeadSpec.Loss.STABLEMAX) return logits.logSoftmax(-1).gather(y, 1).toFloatArray();
    NDArray z = head.stableMaxFloat64() ? Losses.toFloat64(logits) : logits;
    return Losses.perSampleLoss(HeadSpec.Loss.STABLEMAX, z, y).neg().toType(DataType.FLOAT32, false).toFloatArray();
  }

  public static Metrics evaluate(GptNeoXModel model, NDManager manager, TokenSample sample, int anisotropyTokens,
      boolean perPosition, boolean includePaddedRows, long maxBatchBytes) {
    GptNeoXConfig c = model.config();
    int t = sample.contextLength();
    int v = c.vocabSize();
    int d = c.hiddenSize();
    int layers = c.numLayers() + 1;
    int batch = (int) Math.max(1, Math.min(sample.windows(), maxBatchBytes / ((long) t * v * Float.BYTES)));
    int aniTokens = (int) Math.min(anisotropyTokens, sample.scoredTokens());
    float[][] hidden = new float[aniTokens > 0 ? layers : 0][aniTokens * d];
    int filled = 0;
    double lossSum = 0;
    double[] flags = new double[6];
    double[] posSum = perPosition ? new double[t] : null;
    long start = System.nanoTime();
    for (int w0 = 0; w0 < sample.windows(); w0 += batch) {
      int b = Math.min(batch, sample.windows() - w0);
      int[] ids = new int[b * t];
      int[] labels = new int[b * t];
      for (int i = 0; i < b; i++) {
        System.arraycopy(sample.tokens()[w0 + i], 0, ids, i * t, t);
        System.arraycopy(sample.tokens()[w0 + i], 1, labels, i * t, t);
      }
      for (int label : labels) checkLabel(label, c.realVocabSize(), v);
      try (NDManager m = manager.newSubManager()) {
        NDArray x = m.create(ids, new Shape(b, t));
        boolean needHidden = filled < aniTokens;
        GptNeoXModel.Output out = model.forward(x, needHidden);
        // Cross-entropy on the engine (vectorised log-softmax, float32); collapse flags in Java, where a row needs
        // more than one comparison per logit only when its top logit leads by nearly a precision's threshold.
        NDArray flat = out.logits().reshape(b * t, v);
        NDArray y = m.create(labels, new Shape(b * t, 1)).toType(DataType.INT64, false);
        float[] ce = logProbabilities(c.head(), flat, y);
        // The top two logits of every row decide most flags: only rows that lead by nearly the fp16 threshold are
        // copied to the JVM and summed exactly (all rows at once when many are, as in a collapsed model).
        float[] top2 = flat.topK(2, -1, true, true).get(0).toFloatArray();
        int rows = b * t;
        int[] near = IntStream.range(0, rows).filter(i -> (double) top2[2 * i] - top2[2 * i + 1] >= SoftmaxCollapse.THRESHOLD_FP16 - 0.5).toArray();
        double[][] stats = new double[rows][];
        if (near.length > rows * copyAllRowsFraction) {
          float[] logits = flat.toFloatArray();
          IntStream.of(near).parallel().forEach(i -> {
            double[] s = new double[6];
            SoftmaxCollapse.flags(logits, i * v, v, labels[i], s);
            stats[i] = s;
          });
        } else {
          for (int i : near) {
            double[] s = new double[6];
            try (NDArray row = flat.get(i)) {
              SoftmaxCollapse.flags(row.toFloatArray(), 0, v, labels[i], s);
            }
            stats[i] = s;
          }
        }
        for (int i = 0; i < rows; i++) if (stats[i] == null) stats[i] = NOT_COLLAPSED;
        for (int i = 0; i < b * t; i++) {
          lossSum -= ce[i];
          for (int f = 0; f < 6; f++) flags[f] += stats[i][f];
          if (posSum != null) posSum[i % t] -= ce[i];
        }
        if (needHidden) {
          int take = Math.min(aniTokens - filled, b * t);
          List<NDArray> hs = out.hiddenStates();
          for (int l = 0; l < layers; l++) {
            float[] h = hs.get(l).toFloatArray();
            System.arraycopy(h, 0, hidden[l], filled * d, take * d);
          }
          filled += take;
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long n = (long) sample.windows() * t;
    double[] anis = new double[aniTokens > 0 ? layers : 0];
    double[] scratch = new double[d];
    for (int l = 0; l < anis.length; l++) anis[l] = Anisotropy.meanPairwiseCosine(hidden[l], 0, aniTokens, d, scratch);
    if (posSum != null) for (int i = 0; i < t; i++) posSum[i] /= sample.windows();
    int rows = includePaddedRows ? v : c.realVocabSize();
    double[] sigma = HeadSpectrum.singularValues(headMatrix(model, manager), rows, d);
    return new Metrics(lossSum / n, n, new double[] {flags[0] / n, flags[2] / n, flags[4] / n},
        new double[] {flags[1] / n, flags[3] / n, flags[5] / n}, posSum, anis, aniTokens, sigma, rows,
        SingularSpectrum.entropy(sigma), SingularSpectrum.normalizedEntropy(sigma), SingularSpectrum.effectiveRank(sigma), seconds);
  }

  /** The V×d map from final hidden state to logits, row-major (for a low-rank head the product up·down). */
  public static float[] headMatrix(GptNeoXModel model, NDManager manager) {
    if (!model.config().head().lowRank()) return model.parameter("embed_out.weight").toFloatArray();
    try (NDArray product = model.parameter("embed_out.up.weight").matMul(model.parameter("embed_out.down.weight"))) {
      return product.toFloatArray();
    }
  }

  private static void checkLabel(int label, int realVocab, int vocab) {
    if (label < 0 || label >= realVocab) {
      throw new IllegalArgumentException("token id " + label + " is outside the model's vocabulary of " + realVocab
          + (realVocab < vocab ? " (+" + (vocab - realVocab) + " padded rows)" : "")
          + "; the token artifact was made with another tokenizer");
    }
  }
}
