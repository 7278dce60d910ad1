package saturn.lmhead;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import saturn.lmhead.optim.OptimizerConfig;

@Tag("slow")
class GrokExperimentTest {
  @Test
  void explore() {
    int p = Integer.getInteger("grok.p", 113);
    int epochs = Integer.getInteger("grok.epochs", 200);
    double lr = Double.parseDouble(System.getProperty("grok.lr", "0.01"));
    String prec = System.getProperty("grok.precision", "fp32");
    double eps = Double.parseDouble(System.getProperty("grok.eps", "1e-25"));
    for (String spec : System.getProperty("grok.runs", "softmax/adamw,softmax/ortho-adamw,stablemax/adamw").split(",")) {
      String[] s = spec.split("/");
      double beta2 = s.length > 2 ? Double.parseDouble(s[2]) : 0.99;
      double runLr = s.length > 3 ? Double.parseDouble(s[3]) : lr;
      GrokSpec c = GrokSpec.builder().optModulus(p).optEpochs(epochs).optLr(runLr).optLoss(s[0]).optPrecision(prec)
          .optOptimizer(OptimizerConfig.parse(s[1], 0.0, 0.9, beta2, 0.0).withDecayAllTensors(true).withEpsilon(eps)).build();
      long t0 = System.nanoTime();
      GrokStage.Result r = GrokStage.run(c, 1, new saturn.stage.StageListener() {
        @Override
        public void progress(saturn.stage.Progress pr) {
          if (pr.done() % 50 == 0) System.out.printf("  %s epoch %d %s%n", spec, pr.done(), pr.detail());
        }
      });
      double[] last = r.metrics().rows().get(r.metrics().rows().size() - 1);
      System.out.printf("RESULT %s: grok %d, train %.3f, test %.3f, sc %.3f, zero %.3f, |w| %.1f, %.1f s%n", spec, r.grokStep(),
          r.finalTrainAcc(), r.finalTestAcc(), last[5], last[6], last[7], (System.nanoTime() - t0) / 1e9);
    }
  }
}
