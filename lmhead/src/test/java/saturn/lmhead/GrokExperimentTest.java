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
    for (String spec : System.getProperty("grok.runs", "softmax/adamw,softmax/ortho-adamw,stablemax/adamw").split(",")) {
      String[] s = spec.split("/");
      GrokConfig c = GrokConfig.builder().optModulus(p).optEpochs(epochs).optLr(lr).optLoss(s[0]).optPrecision(prec)
          .optOptimizer(OptimizerConfig.parse(s[1], 0.0, 0.9, 0.99, 0.0).withDecayAllTensors(true)).optThreads(1).build();
      long t0 = System.nanoTime();
      GrokStage.Result r = GrokStage.run(c, (done, total, tr, te, loss) -> {
        if (done % 25 == 0) System.out.printf("  %s epoch %d train %.3f test %.3f loss %.3g%n", spec, done, tr, te, loss);
      });
      double[] last = r.metrics().rows().get(r.metrics().rows().size() - 1);
      System.out.printf("RESULT %s: grok %d, train %.3f, test %.3f, sc %.3f, zero %.3f, |w| %.1f, %.1f s%n", spec, r.grokStep(),
          r.finalTrainAcc(), r.finalTestAcc(), last[5], last[6], last[7], (System.nanoTime() - t0) / 1e9);
    }
  }
}
