package saturn.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import saturn.eval.internal.CheckpointEvaluator;
import saturn.eval.law.ChinchillaFitter;
import saturn.eval.law.ChinchillaLaw;
import saturn.eval.law.ScalingPoint;
import saturn.eval.metrics.HeadSpectrum;
import saturn.lmhead.GptNeoXConfig;
import saturn.lmhead.GptNeoXModel;
import saturn.lmhead.HeadSpec;
import saturn.lmhead.engine.TorchRuntime;

/**
 * {@code saturn bench eval}: evaluation throughput for the {@code tiny} and {@code pythia-14m} shapes (randomly
 * initialised, Pythia's 50,277-token vocabulary padded to 50,304), the head-spectrum time of a 50,304 × 512 head, and
 * the time of a Chinchilla fit from the 4,500-point grid. One result map per case (printed as a JSON line).
 */
public final class EvalBench {
  private EvalBench() {}

  /**
   * @param evalTokens tokens scored per shape
   * @param contextLength window length
   * @param threads tensor-engine threads
   * @param fitPoints points of the synthetic Chinchilla fit
   */
  public record Options(int evalTokens, int contextLength, int threads, int fitPoints, List<String> cases) {}

  public static void run(Options o, Consumer<Map<String, Object>> out) {
    if (o.cases().contains("eval")) {
      Engine engine = TorchRuntime.engine(o.threads());
      for (String shape : List.of("tiny", "pythia-14m")) {
        GptNeoXConfig c = GptNeoXConfig.preset(shape, 50277, o.contextLength(), HeadSpec.SOFTMAX);
        SplittableRandom r = new SplittableRandom(1);
        int windows = Math.max(1, o.evalTokens() / o.contextLength());
        int[][] toks = new int[windows][o.contextLength() + 1];
        long[] starts = new long[windows];
        for (int[] w : toks) for (int i = 0; i < w.length; i++) w[i] = r.nextInt(50277);
        TokenSample sample = new TokenSample(o.contextLength(), starts, toks, (long) windows * (o.contextLength() + 1));
        try (NDManager base = NDManager.newBaseManager(engine.getEngineName()); GptNeoXModel model = GptNeoXModel.create(base, c, 1)) {
          CheckpointEvaluator.evaluate(model, base, sample, 256, false, false, 256L << 20); // warm-up
          long t0 = System.nanoTime();
          CheckpointEvaluator.Metrics m = CheckpointEvaluator.evaluate(model, base, sample, 1024, false, false, 256L << 20);
          double s = (System.nanoTime() - t0) / 1e9;
          Map<String, Object> j = line("eval-tokens", shape);
          j.put("params", c.parameterCount());
          j.put("dModel", c.hiddenSize());
          j.put("layers", c.numLayers());
          j.put("vocab", c.vocabSize());
          j.put("contextLength", o.contextLength());
          j.put("tokens", m.scoredTokens());
          j.put("seconds", s);
          j.put("forwardAndScoreSeconds", m.forwardSeconds());
          j.put("tokensPerSecond", m.scoredTokens() / s);
          j.put("threads", TorchRuntime.threads());
          out.accept(finish(j));
        }
      }
    }
    if (o.cases().contains("spectrum")) {
      int v = 50304, d = 512;
      float[] head = new float[v * d];
      SplittableRandom r = new SplittableRandom(2);
      for (int i = 0; i < head.length; i++) head[i] = (float) r.nextGaussian();
      HeadSpectrum.singularValues(new float[64 * 8], 64, 8); // loads the natives outside the timing
      long t0 = System.nanoTime();
      double[] s = HeadSpectrum.singularValues(head, v, d);
      double sec = (System.nanoTime() - t0) / 1e9;
      // Peer: eigenvalues of the d×d Gram matrix HᵀH in double (faster, but squares the condition number).
      long t1 = System.nanoTime();
      double[] peer = gramSingularValues(head, v, d);
      double peerSec = (System.nanoTime() - t1) / 1e9;
      double maxRel = 0;
      for (int i = 0; i < s.length; i++) maxRel = Math.max(maxRel, Math.abs(s[i] - peer[i]) / s[0]);
      Map<String, Object> j = line("head-spectrum", v + "x" + d);
      j.put("singularValues", s.length);
      j.put("seconds", sec);
      j.put("method", "ND4J LAPACK sgesvd, values only");
      j.put("peer", "double Gram matrix + symmetric eigenvalues (ND4J)");
      j.put("peerSeconds", peerSec);
      j.put("ratioToPeer", sec / peerSec);
      j.put("maxAbsDiffOverSigma1", maxRel);
      out.accept(finish(j));
    }
    if (o.cases().contains("fit")) {
      SplittableRandom r = new SplittableRandom(3);
      List<ScalingPoint> pts = new ArrayList<>();
      int per = Math.max(1, (int) Math.round(Math.sqrt(o.fitPoints())));
      for (int i = 0; i < per; i++) {
        for (int k = 0; k < per; k++) {
          double n = 7e7 * Math.pow(100, (double) i / Math.max(1, per - 1));
          double dd = 1e9 * Math.pow(300, (double) k / Math.max(1, per - 1));
          pts.add(new ScalingPoint("p", n, dd, ChinchillaLaw.BESIROGLU_2024.loss(n, dd) * Math.exp(0.005 * r.nextGaussian())));
        }
      }
      long t0 = System.nanoTime();
      ChinchillaFitter.Fit f = new ChinchillaFitter().fit(pts);
      double sec = (System.nanoTime() - t0) / 1e9;
      Map<String, Object> j = line("chinchilla-fit", pts.size() + " points");
      j.put("starts", f.starts());
      j.put("failedStarts", f.failedStarts());
      j.put("seconds", sec);
      j.put("startsPerSecond", f.starts() / sec);
      j.put("alpha", f.law().alpha());
      j.put("beta", f.law().beta());
      j.put("cpus", Runtime.getRuntime().availableProcessors());
      out.accept(finish(j));
    }
  }

  private static Map<String, Object> line(String what, String size) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("bench", "eval");
    j.put("case", what);
    j.put("size", size);
    return j;
  }

  private static Map<String, Object> finish(Map<String, Object> j) {
    Runtime rt = Runtime.getRuntime();
    j.put("heapUsedBytes", rt.totalMemory() - rt.freeMemory());
    j.put("maxHeapBytes", rt.maxMemory());
    return j;
  }

  /** σ = sqrt(eig(HᵀH)), largest first; H row-major V×d. */
  static double[] gramSingularValues(float[] head, int v, int d) {
    try (org.nd4j.linalg.api.ndarray.INDArray h = org.nd4j.linalg.factory.Nd4j.create(head, new long[] {v, d}, 'c')
             .castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
         org.nd4j.linalg.api.ndarray.INDArray g = h.transpose().mmul(h)) {
      double[] ev = org.nd4j.linalg.eigen.Eigen.symmetricGeneralizedEigenvalues(g, false).toDoubleVector();
      double[] s = new double[ev.length];
      for (int i = 0; i < ev.length; i++) s[i] = Math.sqrt(Math.max(0, ev[i]));
      java.util.Arrays.sort(s);
      for (int i = 0, k = s.length - 1; i < k; i++, k--) {
        double tmp = s[i];
        s[i] = s[k];
        s[k] = tmp;
      }
      return s;
    }
  }
}
